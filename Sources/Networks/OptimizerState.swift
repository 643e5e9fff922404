import Tensors

/// Per-optimiser flat state vectors with the bookkeeping shared by SGD and Adam.
final class OptimizerState {
    let names: [String]
    let vectors: [UnsafeMutablePointer<Float>]
    let count: Int

    init(names: [String], count: Int) {
        self.names = names
        self.count = count
        vectors = names.map { _ in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0, count: Swift.max(count, 1))
            return p
        }
    }

    deinit { vectors.forEach { $0.deallocate() } }

    func reset() { vectors.forEach { $0.update(repeating: 0, count: count) } }

    func reset(indices: [Int]) {
        for v in vectors { for i in indices { v[i] = 0 } }
    }

    func export() -> [(name: String, values: [Float])] {
        zip(names, vectors).map { ($0, Array(UnsafeBufferPointer(start: $1, count: count))) }
    }

    func load(_ saved: [(name: String, values: [Float])]) throws {
        for (name, v) in zip(names, vectors) {
            guard let s = saved.first(where: { $0.name == name }) else {
                throw StateDictError(description: "optimizer state '\(name)' missing")
            }
            guard s.values.count == count else {
                throw StateDictError(description: "optimizer state '\(name)' has \(s.values.count) values, expected \(count)")
            }
            s.values.withUnsafeBufferPointer { v.update(from: $0.baseAddress!, count: count) }
        }
    }
}
