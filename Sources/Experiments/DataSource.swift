import Datasets
import Tensors

extension DataConfig {
    /// How a missing data directory is fixed when the directory comes from a config.
    public static let directoryRemedy = "set data.dir in the config to the folder holding the files"

    /// Loads the base training and held-out data this config names; file headers must fit
    /// `budget`. A missing data directory says to set `data.dir` (a command with a directory
    /// flag replaces that remedy).
    public func load(budget: MemoryBudget = .builtIn) throws -> (train: LabelledDataset, test: LabelledDataset?) {
        do { return try loadSplits(budget) } catch let e as DataError where e.isMissingDirectory && e.remedy == nil {
            throw e.with(remedy: Self.directoryRemedy)
        }
    }

    private func loadSplits(_ budget: MemoryBudget) throws -> (train: LabelledDataset, test: LabelledDataset?) {
        switch dataset {
        case "fashion-mnist", "mnist":
            let dir = directory.isEmpty ? (dataset == "mnist" ? "/usr/share/datasets/mnist" : MNISTStyle.debianFashionMNIST) : directory
            return (try MNISTStyle.load(directory: dir, split: "train", budget: budget),
                    try MNISTStyle.load(directory: dir, split: "t10k", budget: budget))
        case "cifar10":
            return (try CIFAR.loadCIFAR10(directory: directory, split: .train), try CIFAR.loadCIFAR10(directory: directory, split: .test))
        case "cifar100":
            return (try CIFAR.loadCIFAR100(directory: directory, split: .train), try CIFAR.loadCIFAR100(directory: directory, split: .test))
        case "mnist1d":
            let generator = MNIST1D(count: count)
            return (generator.generate(seed: seed), generator.generate(seed: seed &+ 1))
        case "gaussian-clusters":
            let clusters = GaussianClusters(classCount: classes, dimension: dimension, count: count)
            return (clusters.generate(seed: seed, draw: 0), clusters.generate(seed: seed, draw: 1))
        case "npy":
            let train = try NPYDataset.load(inputs: inputs, labels: labels)
            let test = testInputs.isEmpty ? nil : try NPYDataset.load(inputs: testInputs, labels: testLabels, classCount: train.classCount)
            return (train, test)
        default:
            throw DataError(dataset, "unknown dataset")
        }
    }
}
