import Datasets

extension DataConfig {
    /// Loads the base training and held-out data this config names.
    public func load() throws -> (train: LabelledDataset, test: LabelledDataset?) {
        switch dataset {
        case "fashion-mnist", "mnist":
            let dir = directory.isEmpty ? (dataset == "mnist" ? "/usr/share/datasets/mnist" : MNISTStyle.debianFashionMNIST) : directory
            return (try MNISTStyle.load(directory: dir, split: "train"), try MNISTStyle.load(directory: dir, split: "t10k"))
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
