import Datasets

extension DataConfig {
    /// Loads the base training and held-out data this config names.
    public func load() throws -> (train: LabelledDataset, test: LabelledDataset?) {
        switch dataset {
        case "fashion-mnist", "mnist":
            let dir = directory.isEmpty ? (dataset == "mnist" ? "/usr/share/datasets/mnist" : MNISTStyle.debianFashionMNIST) : directory
            return (try MNISTStyle.load(directory: dir, split: "train"), try MNISTStyle.load(directory: dir, split: "t10k"))
        default:
            throw DataError(dataset, "unknown dataset")
        }
    }
}
