extension StudyPresets {
    /// Finding 3 of the research spec: large regression targets damage plasticity, a
    /// distributional loss mitigates it (Lyle et al. 2023, 2024).
    ///
    /// Construction: a target-offset stream on Fashion-MNIST (the network regresses e_y + k·Δ
    /// in task k). "small targets" uses Δ = 0.1 (quick: offsets 0 … 0.4), "large targets"
    /// Δ = 4 (quick: 0 … 16; full: 0 … 36), with MSE, HL-Gauss or two-hot losses; both
    /// distributional losses use 51 bins on [−5, 45] (bin width 1, HL-Gauss σ = 0.75), which
    /// covers every target of both scales. Every task end runs the probe task (research spec
    /// section 2): copies of the network and of a fresh one of the same architecture regress
    /// a fresh network's outputs on 256 training inputs for 500 Adam steps;
    /// `probe.plasticity_loss` = probe loss(trained) − probe loss(fresh), judged at the last task.
    static let targetScale = """
        name = "target-scale"
        title = "Large regression targets damage plasticity; a distributional loss mitigates it"
        claim = "Pre-training on regression targets with a large offset leaves the network less able to fit a new probe task than pre-training on small targets; training on the same large targets with a distributional loss (HL-Gauss or two-hot) instead of MSE reduces that damage."
        source = "Lyle et al. 2023, Understanding plasticity in neural networks (ICML), target-magnitude experiments and the two-hot loss; Lyle et al. 2024, Disentangling the causes of plasticity loss (arXiv:2402.18762), regression target scale"
        seeds = 5

        # Shared by every run: an MLP trained with Adam; probe-task plasticity at each task end.
        [base.model]
        arch = "mlp"
        widths = [128, 128]
        [base.optimizer]
        name = "adam"
        lr = 1e-3
        [base.train]
        batch_size = 64
        log_every = 100
        checkpoint_every = 0
        [base.diagnostics]
        groups = ["probe", "parameters"]
        probe_size = 256

        [scales.quick.stream]
        tasks = 5
        steps_per_task = 500
        subset = 1000
        test_subset = 1000

        [scales.full.stream]
        tasks = 10
        steps_per_task = 5000
        subset = 10000
        test_subset = 10000
        [scales.full.model]
        widths = [256, 256, 256]

        [[groups]]
        label = "target offset"
        metric = "probe.plasticity_loss"
        # δ = 0.005 in the probe's MSE units, declared before running: plasticity losses that
        # differ by less are reported as ties in the last-task table.
        margin = 0.005
        [groups.config.stream]
        protocol = "target-offset"

        [[variants]]
        label = "small targets, MSE"
        [variants.config.stream]
        shift_per_task = 0.1
        [variants.config.loss]
        kind = "mse"

        [[variants]]
        label = "large targets, MSE"
        [variants.config.stream]
        shift_per_task = 4.0
        [variants.config.loss]
        kind = "mse"

        [[variants]]
        label = "large targets, HL-Gauss"
        [variants.config.stream]
        shift_per_task = 4.0
        [variants.config.loss]
        kind = "hl-gauss"
        bins = 51
        min = -5.0
        max = 45.0

        [[variants]]
        label = "large targets, two-hot"
        [variants.config.stream]
        shift_per_task = 4.0
        [variants.config.loss]
        kind = "two-hot"
        bins = 51
        min = -5.0
        max = 45.0
        """
}
