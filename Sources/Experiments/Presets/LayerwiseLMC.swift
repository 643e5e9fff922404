extension StudyPresets {
    /// Finding 6 of the research spec: layer-wise linear mode connectivity (Adilova et al.
    /// 2024). Every seed is trained on two disjoint draws of MNIST-1D ("data A", "data B") from
    /// the same initialisation; the report pairs the runs (same init / different data, and
    /// different init / same data) and measures barriers along the linear paths between them.
    /// The stream is warm-start with fraction 1: two tasks on the same full training set,
    /// i.e. ordinary stationary training.
    static let layerwiseLMC = """
        name = "layerwise-lmc"
        title = "Whole networks are separated by a loss barrier; single layers are not"
        claim = "Between two trained networks (same initialisation on different data, or different initialisations), interpolating all parameters crosses a loss barrier, while interpolating any single layer with the others fixed shows little or none; interpolating the first k layers shows at which depth the barrier appears."
        source = "Adilova et al. 2024, Layer-wise Linear Mode Connectivity (ICLR 2024, arXiv:2307.06966), Figures 1-3"
        # 10 seeds: 10 same-init pairs and 5 disjoint different-init pairs (seeds 2k, 2k+1).
        seeds = 10

        [base]
        [base.data]
        dataset = "mnist1d"
        count = 4000
        [base.stream]
        protocol = "warm-start"
        fraction = 1.0
        subset = 0
        test_subset = 1000
        [base.model]
        arch = "mlp"
        widths = [128, 128, 128]
        [base.optimizer]
        name = "sgd"
        lr = 0.05
        momentum = 0.9
        [base.train]
        batch_size = 64
        log_every = 200
        checkpoint_every = 0

        [scales.quick.stream]
        first_task_steps = 1000
        steps_per_task = 1000

        [scales.full.data]
        count = 10000
        [scales.full.stream]
        first_task_steps = 5000
        steps_per_task = 5000
        [scales.full.model]
        widths = [256, 256, 256, 256]

        # The two draws of the data: MNIST-1D generated from seeds 0 and 2 (seed + 1 is each
        # draw's held-out set, so neither run trains on the other's test data).
        [[groups]]
        label = "data A"
        metric = "test_accuracy"
        # δ = 0.01 test accuracy, declared before running: smaller differences are ties.
        margin = 0.01
        [groups.config.data]
        seed = 0

        [[groups]]
        label = "data B"
        metric = "test_accuracy"
        # δ = 0.01 test accuracy, declared before running: smaller differences are ties.
        margin = 0.01
        [groups.config.data]
        seed = 2
        """
}
