// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PlasticityLab",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PlasticityLab", targets: ["Tensors", "Networks", "Datasets", "Streams", "Training", "Diagnostics", "Interventions", "Experiments", "Reports", "Connectivity", "ResultsIndex"]),
        .executable(name: "plasticity", targets: ["PlasticityCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CFuzzer"),
        .target(name: "Tensors", dependencies: ["COpenBLAS", "CLAPACKE"]),
        .target(name: "Networks", dependencies: ["Tensors"]),
        .target(name: "Datasets", dependencies: ["Tensors", "CZlib"]),
        .target(name: "Streams", dependencies: ["Datasets", "Tensors"]),
        .target(name: "Training", dependencies: ["Networks", "Streams", "Tensors"]),
        .target(name: "Diagnostics", dependencies: ["Training", "Networks", "Streams", "Tensors"]),
        .target(name: "Interventions", dependencies: ["Training", "Networks", "Tensors"]),
        .target(name: "Experiments", dependencies: [
            "Diagnostics", "Interventions", "Training", "Streams", "Networks", "Datasets", "Tensors",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .target(name: "Connectivity", dependencies: ["Networks", "Datasets", "Tensors"]),
        .target(name: "Reports", dependencies: ["Experiments", "Tensors", "Connectivity"]),
        .target(name: "ResultsIndex", dependencies: ["Experiments", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(name: "PlasticityCLI", dependencies: [
            "Tensors", "Networks", "Datasets", "Streams", "Training", "Diagnostics", "Interventions", "Experiments", "Reports", "Connectivity",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            "ResultsIndex",
        ]),
        .executableTarget(name: "PlasticityFuzz", dependencies: ["CFuzzer", "Datasets", "Networks", "Experiments"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Tensors"]),
        .testTarget(name: "StreamsTests", dependencies: ["Streams", "Datasets", "Tensors"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Streams", "Networks", "Datasets", "Tensors"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "Training", "Streams", "Networks", "Datasets", "Tensors"]),
        .testTarget(name: "InterventionsTests", dependencies: ["Interventions", "Training", "Streams", "Networks", "Datasets", "Tensors"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Training", "Streams", "Networks", "Datasets", "Tensors", "PlasticityCLI"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Experiments", "Tensors", "Connectivity", "Networks"]),
        .testTarget(name: "ConnectivityTests", dependencies: ["Connectivity", "Networks", "Datasets", "Tensors"]),
        .testTarget(name: "ResultsIndexTests", dependencies: ["ResultsIndex", "Experiments", "PlasticityCLI",
                                                             .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "Tensors", "Datasets"],
                    resources: [.copy("Fixtures")]),
    ]
)
