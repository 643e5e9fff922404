/// A 10×10 binary grid as a 100-bit mask, bit `10·y + x` for cell (y, x): the reference's
/// numpy maps (`brick_map`, `alien_map`, bullet maps) with `np.roll` as shifts.
struct Grid: Equatable, Codable {
    var bits: UInt128

    init(bits: UInt128) { self.bits = bits }

    /// Decodes the mask written by `encode(to:)`: 25 hexadecimal digits (a string, as JSON
    /// numbers are not exact beyond 2^53).
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let value = UInt128(try c.decode(String.self), radix: 16), value <= Grid.all.bits else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a 100-bit grid mask")
        }
        bits = value
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(String(bits, radix: 16))
    }

    static let all = Grid(bits: (UInt128(1) << 100) &- 1)
    static let empty = Grid(bits: 0)

    /// Cells (y, x) for y in `rows`, x in `columns`.
    static func block(rows: Range<Int>, columns: Range<Int>) -> Grid {
        var g = Grid.empty
        for y in rows { for x in columns { g[y, x] = true } }
        return g
    }

    static func row(_ y: Int) -> Grid { block(rows: y..<(y + 1), columns: 0..<10) }
    static func column(_ x: Int) -> Grid { block(rows: 0..<10, columns: x..<(x + 1)) }

    @inline(__always) subscript(y: Int, x: Int) -> Bool {
        get { bits >> UInt128(10 &* y &+ x) & 1 == 1 }
        set {
            let bit = UInt128(1) << UInt128(10 &* y &+ x)
            bits = newValue ? bits | bit : bits & ~bit
        }
    }

    var count: Int { bits.nonzeroBitCount }
    var isEmpty: Bool { bits == 0 }
    func intersects(_ other: Grid) -> Bool { bits & other.bits != 0 }

    /// `np.roll(grid, 1, axis=0)`: every row moves down one, row 9 wraps to row 0.
    var rolledDown: Grid { Grid(bits: ((bits << 10) | (bits >> 90)) & Grid.all.bits) }
    private static let topRow = Grid.row(0).bits
    private static let leftColumn = Grid.column(0).bits
    private static let rightColumn = Grid.column(9).bits
    /// `np.roll(grid, -1, axis=0)`: every row moves up one, row 0 wraps to row 9.
    var rolledUp: Grid { Grid(bits: (bits >> 10) | ((bits & Grid.topRow) << 90)) }
    /// `np.roll(grid, 1, axis=1)`: every column moves right one, column 9 wraps to column 0.
    var rolledRight: Grid {
        Grid(bits: ((bits & ~Grid.rightColumn) << 1) | ((bits & Grid.rightColumn) >> 9))
    }
    /// `np.roll(grid, -1, axis=1)`: every column moves left one, column 0 wraps to column 9.
    var rolledLeft: Grid {
        Grid(bits: ((bits & ~Grid.leftColumn) >> 1) | ((bits & Grid.leftColumn) << 9))
    }

    /// Writes the grid as ones into one 10×10 plane.
    func write(_ plane: UnsafeMutablePointer<Float>) {
        var b = bits
        while b != 0 {
            plane[b.trailingZeroBitCount] = 1
            b &= b &- 1
        }
    }
}
