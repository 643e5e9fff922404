import CVectorMath
import Tensors

/// Updates a network's flat parameter storage from its gradients.
///
/// Every optimiser keeps its state as flat vectors aligned with `ParameterStorage`, so a
/// state reset of some units (ReDo, continual backprop) is a write to index ranges.
public protocol Optimizer: AnyObject {
    /// Step size used by the next `step()`.
    var learningRate: Float { get set }
    /// Number of updates applied so far.
    var stepCount: Int { get }
    /// Applies one update from the current gradients.
    func step()
    /// Forgets all state (moments, momentum, step count).
    func resetState()
    /// Zeroes the state of the given flat parameter indices.
    func resetState(indices: [Int])
    /// The state as named flat vectors plus the step count, for checkpoints.
    func stateVectors() -> [(name: String, values: [Float])]
    /// Restores state saved by `stateVectors()`.
    func loadStateVectors(_ vectors: [(name: String, values: [Float])], stepCount: Int) throws
}
