import ArgumentParser

/// The `--memory-limit GB` flag of `run`, `study`, `diagnose` and `lmc` (see `MemoryBudget`).
enum MemoryLimitFlag {
    static let help = ArgumentHelp("Most memory (GiB) a network, batch, data set or diagnostic may plan to allocate (default 8, or PLASTICITY_MEMORY_LIMIT_GB).",
                                   valueName: "GB")
}
