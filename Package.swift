// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PlasticityLab",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PlasticityLab", targets: ["Tensors", "Networks"]),
        .executable(name: "plasticity", targets: ["PlasticityCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        .target(name: "Tensors", dependencies: ["COpenBLAS", "CLAPACKE"]),
        .target(name: "Networks", dependencies: ["Tensors"]),
        .executableTarget(name: "PlasticityCLI", dependencies: [
            "Tensors", "Networks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "Tensors"],
                    resources: [.copy("Fixtures")]),
    ]
)
