// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PlasticityLab",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PlasticityLab", targets: ["Tensors", "Networks", "Datasets", "Streams", "Training", "Diagnostics", "Interventions", "Experiments", "Reports"]),
        .executable(name: "plasticity", targets: ["PlasticityCLI"]),
        .library(name: "PlasticityRL", targets: ["RL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
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
        .target(name: "Reports", dependencies: ["Experiments", "Tensors"]),
        .target(name: "RL", dependencies: ["Diagnostics", "Interventions", "Training", "Networks", "Tensors"]),
        .executableTarget(name: "PlasticityCLI", dependencies: [
            "Tensors", "Networks", "Datasets", "Streams", "Training", "Diagnostics", "Interventions", "Experiments", "Reports",
            "RL",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Tensors"]),
        .testTarget(name: "StreamsTests", dependencies: ["Streams", "Datasets", "Tensors"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Streams", "Networks", "Datasets", "Tensors"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "Training", "Streams", "Networks", "Datasets", "Tensors"]),
        .testTarget(name: "InterventionsTests", dependencies: ["Interventions", "Training", "Streams", "Networks", "Datasets", "Tensors"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Training", "Streams", "Networks", "Datasets", "Tensors", "PlasticityCLI"]),
        .testTarget(name: "RLTests", dependencies: ["RL", "Interventions", "Training", "Networks", "Tensors"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Experiments", "Tensors"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "Tensors", "Datasets"],
                    resources: [.copy("Fixtures")]),
    ]
)
