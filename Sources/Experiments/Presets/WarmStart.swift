extension StudyPresets {
    /// Finding 5 of the research spec: the warm-starting gap of Ash & Adams 2020.
    static let warmStart = """
        name = "warm-start"
        title = "Warm-starting from half the data generalises worse than training from scratch"
        claim = "A network first trained on half of the training data and then on all of it ends at a lower test accuracy than one trained from scratch on all of it; shrink-and-perturb at the switch narrows the gap."
        source = "Ash & Adams 2020, On Warm-Starting Neural Network Training (NeurIPS), Figure 1 and Section 4"
        seeds = 3

        # Task 0 trains on a random half of the subset, task 1 on all of it; every variant is
        # judged by task 1's test accuracy. "scratch" re-initialises the network and the
        # optimiser before task 1 (full-reset), so its task 1 is training from scratch.
        [base.model]
        arch = "mlp"
        widths = [256, 256]
        [base.optimizer]
        name = "adam"
        lr = 1e-3
        [base.train]
        batch_size = 128
        log_every = 100
        checkpoint_every = 0

        [scales.quick.stream]
        steps_per_task = 1500
        subset = 4000
        test_subset = 2000

        [scales.full.stream]
        steps_per_task = 20000
        subset = 60000
        test_subset = 10000

        [[groups]]
        label = "Fashion-MNIST MLP"
        metric = "test_accuracy"
        [groups.config.stream]
        protocol = "warm-start"
        fraction = 0.5

        [[variants]]
        label = "warm start"

        [[variants]]
        label = "scratch"
        [[variants.config.interventions]]
        name = "full-reset"

        [[variants]]
        label = "shrink & perturb"
        [[variants.config.interventions]]
        name = "shrink-perturb"
        lambda = 0.4
        sigma = 0.01
        """
}
