extension StudyPresets {
    /// Finding 2 of the research spec: the mechanisms behind plasticity loss, read from the
    /// diagnostics of a random-label run with and without LayerNorm and weight decay.
    static let mechanisms = """
        name = "mechanisms"
        title = "Plasticity loss coincides with parameter-norm growth, pre-activation shift and curvature change"
        claim = "In the baseline, plasticity loss coincides with growing parameter norm, shifting pre-activations and a changing Hessian; LayerNorm removes the pre-activation shift and weight decay bounds the parameter norm."
        source = "Lyle et al. 2023, Understanding plasticity in neural networks (ICML), Sections 3–4; Lyle et al. 2024, Disentangling the causes of plasticity loss (arXiv:2402.18762), Section 4"
        # Quick runs cost about 5 s each: 10 seeds.
        seeds = 10

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
        groups = ["units", "preactivations", "parameters", "features", "hessian", "hessian_density"]
        probe_size = 128

        [scales.quick.stream]
        tasks = 5
        steps_per_task = 800
        subset = 512
        test_subset = 1000

        [scales.full.stream]
        tasks = 30
        steps_per_task = 5000
        subset = 10000
        test_subset = 10000

        [[groups]]
        label = "random labels"
        metric = "train_accuracy"
        # δ = 0.02 accuracy (two percentage points), declared before running: differences
        # below it are reported as ties in the last-task table.
        margin = 0.02
        [groups.config.stream]
        protocol = "random-labels"

        [[variants]]
        label = "baseline"

        [[variants]]
        label = "layernorm"
        [variants.config.model]
        norm = "layernorm"

        [[variants]]
        label = "L2"
        [variants.config.optimizer]
        weight_decay = 1e-3

        [[variants]]
        label = "layernorm + L2"
        [variants.config.model]
        norm = "layernorm"
        [variants.config.optimizer]
        weight_decay = 1e-3
        """
}
