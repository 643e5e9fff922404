/// Upper bounds on the sizes a config may ask for. They sit far above any experiment in
/// research.md but keep a typo (or a hostile file) from requesting terabytes, a step count
/// that overflows `Int`, or a network the machine cannot allocate; a value above its bound
/// is a one-line config error naming the key.
enum ConfigLimits {
    /// Tasks in a stream.
    static let tasks = 1_000_000
    /// Steps in one task.
    static let steps = 1_000_000_000
    /// Examples in a generated data set or a subset.
    static let examples = 100_000_000
    /// Values of a generated data set (count × dimension): 2^28 floats, 1 GiB.
    static let generatedValues = 1 << 28
    /// Units in a hidden layer (or channels), and the dimension of generated inputs.
    static let width = 16_384
    /// Residual blocks per stage.
    static let blocks = 64
    /// Classes, classes per task, and distributional-loss bins.
    static let classes = 100_000
    /// Examples in a batch or a probe batch.
    static let batch = 1 << 20
    /// BLAS threads.
    static let threads = 1024
}
