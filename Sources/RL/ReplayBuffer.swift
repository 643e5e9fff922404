import Tensors

/// A circular experience-replay buffer (Lin 1992; Mnih et al. 2015) of transitions
/// (s, a, r, terminal, s′), preallocated once: binary observations are stored as bits
/// (C·100 bits per frame, 16 words for 10 channels), so 100 000 transitions of two frames
/// take about 26 MB. When full, the oldest transition is overwritten.
///
/// `sample` draws indices uniformly with replacement and unpacks them into caller-owned
/// tensors [B, C, 10, 10] with no allocation.
public final class ReplayBuffer {
    /// Maximum number of transitions held.
    public let capacity: Int
    /// Floats per observation (C·10·10).
    public let observationSize: Int
    /// Transitions held now.
    public internal(set) var count = 0
    /// Transitions added since creation (or the last `removeAll`).
    public internal(set) var added = 0
    let words: Int
    let frames: UnsafeMutablePointer<UInt64>
    let nextFrames: UnsafeMutablePointer<UInt64>
    let actions: UnsafeMutablePointer<Int32>
    let rewards: UnsafeMutablePointer<Float>
    let terminals: UnsafeMutablePointer<Bool>
    var next = 0

    public init(capacity: Int, observationSize: Int) {
        precondition(capacity > 0 && observationSize > 0, "replay buffer needs a positive capacity and observation size")
        self.capacity = capacity
        self.observationSize = observationSize
        words = (observationSize + 63) / 64
        frames = .allocate(capacity: capacity * words)
        frames.initialize(repeating: 0, count: capacity * words)
        nextFrames = .allocate(capacity: capacity * words)
        nextFrames.initialize(repeating: 0, count: capacity * words)
        actions = .allocate(capacity: capacity)
        actions.initialize(repeating: 0, count: capacity)
        rewards = .allocate(capacity: capacity)
        rewards.initialize(repeating: 0, count: capacity)
        terminals = .allocate(capacity: capacity)
        terminals.initialize(repeating: false, count: capacity)
    }

    deinit {
        frames.deallocate(); nextFrames.deallocate(); actions.deallocate(); rewards.deallocate(); terminals.deallocate()
    }

    /// Forgets every transition (continual MinAtar's optional reset at a game switch).
    public func removeAll() {
        count = 0
        added = 0
        next = 0
    }

    private func pack(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<UInt64>) {
        for w in 0..<words {
            var bits: UInt64 = 0
            let start = w * 64, end = Swift.min(start + 64, observationSize)
            for j in start..<end where source[j] != 0 { bits |= 1 << UInt64(j - start) }
            destination[w] = bits
        }
    }

    private func unpack(_ source: UnsafePointer<UInt64>, into destination: UnsafeMutablePointer<Float>) {
        destination.update(repeating: 0, count: observationSize)
        for w in 0..<words {
            var bits = source[w]
            while bits != 0 {
                destination[w * 64 + bits.trailingZeroBitCount] = 1
                bits &= bits &- 1
            }
        }
    }

    /// Stores one transition; observations are `observationSize` floats, each 0 or 1.
    public func add(observation: UnsafePointer<Float>, action: Int, reward: Float, terminal: Bool,
                    nextObservation: UnsafePointer<Float>) {
        pack(observation, into: frames + next * words)
        pack(nextObservation, into: nextFrames + next * words)
        actions[next] = Int32(action)
        rewards[next] = reward
        terminals[next] = terminal
        next = (next + 1) % capacity
        count = Swift.min(count + 1, capacity)
        added += 1
    }

    /// Fills a batch of `actions.count` uniformly drawn transitions: `states` and
    /// `nextStates` are resized to [B, C, 10, 10] (from `observationShape`), and the arrays
    /// (already of length B) are overwritten.
    public func sample(rng: inout RandomGenerator, observationShape: Shape, states: Tensor, actions batchActions: inout [Int],
                       rewards batchRewards: inout [Float], terminals batchTerminals: inout [Bool], nextStates: Tensor) {
        precondition(count > 0, "sampling an empty replay buffer")
        precondition(observationShape.elementCount == observationSize, "observation shape \(observationShape) for \(observationSize) floats")
        let b = batchActions.count
        precondition(batchRewards.count == b && batchTerminals.count == b, "batch arrays of different lengths")
        let shape = Shape([b] + observationShape.dimensions)
        states.resize(to: shape)
        nextStates.resize(to: shape)
        for row in 0..<b {
            let i = rng.below(count)
            unpack(frames + i * words, into: states.data + row * observationSize)
            unpack(nextFrames + i * words, into: nextStates.data + row * observationSize)
            batchActions[row] = Int(actions[i])
            batchRewards[row] = rewards[i]
            batchTerminals[row] = terminals[i]
        }
    }

    /// Unpacks the observations (s) of `rows` uniformly drawn transitions into `states`.
    public func sampleStates(_ rows: Int, rng: inout RandomGenerator, observationShape: Shape, into states: Tensor) {
        precondition(count > 0, "sampling an empty replay buffer")
        states.resize(to: Shape([rows] + observationShape.dimensions))
        for row in 0..<rows { unpack(frames + rng.below(count) * words, into: states.data + row * observationSize) }
    }
}
