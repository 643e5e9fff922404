/// How this test bundle was compiled, for tests of properties only an optimised build has.
enum BuildConfiguration {
    /// True under `swift test` (debug: no optimisation, `DEBUG` defined), false under
    /// `swift test -c release`.
    #if DEBUG
    static let isDebug = true
    #else
    static let isDebug = false
    #endif
}
