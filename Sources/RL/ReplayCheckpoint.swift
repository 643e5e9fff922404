import Networks

/// The replay buffer in a checkpoint: the `count` stored transitions as raw safetensors
/// entries (`replay.frames` and `replay.next_frames` U64 [count, words] of bit-packed
/// observations, `replay.actions` I32, `replay.rewards` F32, `replay.terminals` BOOL), and
/// the write position and counters as metadata, so a resumed run samples exactly the batches
/// the uninterrupted run would have.
extension ReplayBuffer {
    /// The transitions as safetensors entries.
    func checkpointEntries() -> [SafetensorsFile.Entry] {
        func bytes<T>(_ pointer: UnsafeMutablePointer<T>, _ elements: Int) -> [UInt8] {
            Array(UnsafeRawBufferPointer(start: pointer, count: elements * MemoryLayout<T>.stride))
        }
        return [
            .init(name: "replay.frames", dtype: .U64, shape: [count, words], bytes: bytes(frames, count * words)),
            .init(name: "replay.next_frames", dtype: .U64, shape: [count, words], bytes: bytes(nextFrames, count * words)),
            .init(name: "replay.actions", dtype: .I32, shape: [count], bytes: bytes(actions, count)),
            .init(name: "replay.rewards", dtype: .F32, shape: [count], bytes: bytes(rewards, count)),
            .init(name: "replay.terminals", dtype: .BOOL, shape: [count], bytes: terminalBytes()),
        ]
    }

    private func terminalBytes() -> [UInt8] { (0..<count).map { terminals[$0] ? 1 : 0 } }

    /// `replay_count`, `replay_next`, `replay_added`.
    var checkpointMetadata: [String: String] {
        ["replay_count": String(count), "replay_next": String(next), "replay_added": String(added)]
    }

    /// Restores what `checkpointEntries` and `checkpointMetadata` wrote; throws an `RLError`
    /// naming the problem if the file does not fit this buffer.
    func restore(from file: SafetensorsFile) throws {
        guard let n = file.metadata["replay_count"].flatMap(Int.init), let position = file.metadata["replay_next"].flatMap(Int.init),
              let total = file.metadata["replay_added"].flatMap(Int.init),
              n >= 0, n <= capacity, position >= 0, position < capacity, total >= n else {
            throw RLError("\(file.source): replay metadata is missing or does not fit a buffer of capacity \(capacity)")
        }
        func load<T>(_ name: String, _ dtype: SafetensorsFile.DType, _ shape: [Int], into pointer: UnsafeMutablePointer<T>) throws {
            guard let e = file.entry(named: name), e.dtype == dtype, e.shape == shape,
                  e.bytes.count == shape.reduce(1, *) * MemoryLayout<T>.stride else {
                throw RLError("\(file.source): '\(name)' is missing or not \(dtype.rawValue) \(shape)")
            }
            e.bytes.withUnsafeBytes { raw in
                UnsafeMutableRawPointer(pointer).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
            }
        }
        if n > 0 {
            try load("replay.frames", .U64, [n, words], into: frames)
            try load("replay.next_frames", .U64, [n, words], into: nextFrames)
            try load("replay.actions", .I32, [n], into: actions)
            try load("replay.rewards", .F32, [n], into: rewards)
            guard let t = file.entry(named: "replay.terminals"), t.dtype == .BOOL, t.shape == [n], t.bytes.count == n else {
                throw RLError("\(file.source): 'replay.terminals' is missing or not BOOL [\(n)]")
            }
            for i in 0..<n { terminals[i] = t.bytes[i] != 0 }
        }
        count = n
        next = position
        added = total
    }
}
