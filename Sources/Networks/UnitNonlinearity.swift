/// The nonlinearity of a hidden layer, which decides which unit metrics apply.
public enum UnitNonlinearity: Sendable, Equatable {
    /// An elementwise `Activation`.
    case elementwise(ActivationFunction)
    /// Concatenated ReLU `[relu(z), relu(−z)]`: unit i owns channels i and C + i.
    case crelu

    /// Whether `linearised` applies: ReLU and LeakyReLU (z > 0 on every sample), CReLU (z never
    /// changes sign, so one half is the identity and the other zero).
    public var hasLinearRegime: Bool {
        switch self {
        case .crelu, .elementwise(.relu), .elementwise(.leakyReLU): true
        default: false
        }
    }

    /// The |z| beyond which a unit is saturated: 3 for tanh, 5 for sigmoid, else nil.
    public var saturationThreshold: Float? {
        switch self {
        case .elementwise(.tanh): 3
        case .elementwise(.sigmoid): 5
        default: nil
        }
    }
}
