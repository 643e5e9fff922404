/// Architectures written on one line, as `Architecture.description` prints them:
/// `FAMILY[w₀,w₁,…] [ACTIVATION] [norm=NORM] [blocks=N]`, fields separated by spaces (spaces
/// inside the brackets are ignored), every field after the family optional (defaults as in
/// `Architecture.init`). Used by command-line options such as `plasticity diagnose --arch "mlp[256,256] relu norm=layernorm"`.
///
/// ```swift
/// let arch = try Architecture(parsing: "cnn[32,64,128] norm=batchnorm")
/// try Architecture(parsing: arch.description) == arch   // true
/// ```
extension Architecture {
    public init(parsing text: String) throws {
        var depth = 0
        let joined = text.filter { c in
            if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
            return depth == 0 || !c.isWhitespace
        }
        let fields = joined.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let head = fields.first else { throw ArchitectureError("arch", "empty (e.g. \"mlp[256,256] relu norm=none\")") }
        let (familyName, widths) = try Self.parseHead(head)
        guard let family = Family(rawValue: familyName) else {
            throw ArchitectureError("family", "unknown '\(familyName)' (valid: \(Family.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var activation = "relu", norm = Norm.none, blocks = 1
        for field in fields.dropFirst() {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            switch (parts.first, parts.count) {
            case ("norm", 2):
                guard let n = Norm(rawValue: parts[1]) else {
                    throw ArchitectureError("norm", "unknown '\(parts[1])' (valid: \(Norm.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                norm = n
            case ("blocks", 2):
                guard let n = Int(parts[1]) else { throw ArchitectureError("blocksPerStage", "'\(parts[1])' is not an integer") }
                blocks = n
            case ("activation", 2): activation = parts[1]
            case (_, 1): activation = field
            default: throw ArchitectureError("arch", "unknown field '\(field)' (valid: ACTIVATION, norm=…, blocks=…)")
            }
        }
        try self.init(family: family, widths: widths, activation: activation, norm: norm, blocksPerStage: blocks)
    }

    /// `mlp` → ("mlp", nil); `mlp[64,32]` → ("mlp", [64, 32]).
    private static func parseHead(_ head: String) throws -> (String, [Int]?) {
        guard let open = head.firstIndex(of: "[") else { return (head, nil) }
        guard head.last == "]" else { throw ArchitectureError("widths", "'\(head)' lacks its closing ']'") }
        let list = head[head.index(after: open)..<head.index(before: head.endIndex)]
        let widths = try list.split(separator: ",").map { item -> Int in
            guard let w = Int(item.filter { !$0.isWhitespace }) else {
                throw ArchitectureError("widths", "'\(item)' in '\(head)' is not an integer")
            }
            return w
        }
        return (String(head[..<open]), widths)
    }
}
