extension StudyPresets {
    /// Finding 4 of the research spec: abrupt label changes cost more plasticity than a gradual
    /// drift of the same total amount (Lyle et al. 2024).
    ///
    /// Construction, on a fixed Fashion-MNIST subset of N images with random labels (the
    /// label-drift stream; both variants draw the same task-0 labels from the run seed):
    /// - abrupt: T tasks of S steps; every task after the first re-draws all N labels;
    /// - smooth: a first task of S steps, then K·(T − 1) tasks of S/K steps, each re-drawing a
    ///   random N/K of the labels (fraction p = 1/K).
    /// Both train T·S steps in total and make (T − 1)·N label re-draws in total, spread over the
    /// same stretch of training after the first task. Quick: N = 512, T = 4, S = 800, K = 4
    /// (smooth: 13 tasks of 200 steps). Full: N = 10000, T = 10, S = 5000, K = 4 (37 tasks of
    /// 1250 steps). The last tasks' training accuracies are not comparable (a full re-draw
    /// versus a quarter), so the variants are judged by probe-task plasticity at the end of the
    /// stream: the same probe task for both (fit fresh uniform random labels of 256 training
    /// inputs with cross-entropy for 500 Adam steps, the memorisation task of the stream
    /// itself), `probe.plasticity_loss` = probe loss(trained) − probe loss(fresh).
    static let shiftSmoothness = """
        name = "shift-smoothness"
        title = "Abrupt label changes cost more plasticity than gradual drift of the same total amount"
        claim = "A network whose labels are re-drawn all at once every few tasks ends the stream less able to fit a new probe task than one whose labels drift gradually, a fraction at a time, with the same total number of label re-draws and training steps."
        source = "Lyle et al. 2024, Disentangling the causes of plasticity loss in neural networks (arXiv:2402.18762), smooth versus abrupt nonstationarity"
        seeds = 5

        # Shared by every run: an MLP trained with Adam on random labels of a fixed subset.
        [base.stream]
        protocol = "label-drift"
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
        probe_target = "random_labels"

        [scales.quick.stream]
        subset = 512
        test_subset = 1000

        [scales.full.stream]
        subset = 10000
        test_subset = 10000
        [scales.full.model]
        widths = [256, 256, 256]

        [[groups]]
        label = "random-label drift"
        metric = "probe.plasticity_loss"
        # δ = 0.1 nats (about 4 % of ln 10, the loss of a uniform guess over 10 classes),
        # declared before running: smaller differences are reported as ties.
        margin = 0.1

        # Abrupt: T tasks of S steps, each later task re-draws every label.
        [[variants]]
        label = "abrupt"
        [variants.config.stream]
        fraction = 1.0
        [variants.scales.quick.stream]
        tasks = 4
        steps_per_task = 800
        [variants.scales.full.stream]
        tasks = 10
        steps_per_task = 5000

        # Smooth: the same first task, then K(T − 1) tasks of S/K steps re-drawing 1/K of the
        # labels each (K = 4): the same steps and the same number of re-draws in total.
        [[variants]]
        label = "smooth"
        [variants.config.stream]
        fraction = 0.25
        [variants.scales.quick.stream]
        tasks = 13
        steps_per_task = 200
        first_task_steps = 800
        [variants.scales.full.stream]
        tasks = 37
        steps_per_task = 1250
        first_task_steps = 5000
        """
}
