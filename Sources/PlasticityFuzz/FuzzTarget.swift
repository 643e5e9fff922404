import Datasets
import Experiments
import Foundation
import Networks

/// A reader exercised by the fuzzer: it is handed arbitrary bytes and must either accept them
/// or throw its one-line error — never trap, hang, read out of bounds or allocate without
/// bound. Thrown errors are the expected outcome and are ignored.
enum FuzzTarget: String, CaseIterable {
    /// `SafetensorsFile.decode` and the conversion of every tensor to Float32.
    case safetensors
    /// `IDXArray.parse(file:)`, gzip inflation included.
    case idx
    /// `NPYArray.parse`.
    case npy
    /// `ExperimentConfig.parse` of the bytes as TOML text (non-UTF-8 input is skipped).
    case config

    func run(_ bytes: [UInt8]) {
        switch self {
        case .safetensors: _ = try? SafetensorsFile.decode(bytes, source: "fuzz.safetensors").stateEntries()
        case .idx: _ = try? IDXArray.parse(file: bytes, path: "fuzz.idx")
        case .npy: _ = try? NPYArray.parse(bytes, path: "fuzz.npy")
        case .config:
            guard let text = String(validating: bytes, as: UTF8.self) else { return }
            _ = try? ExperimentConfig.parse(text, file: "fuzz.toml")
        }
    }

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
