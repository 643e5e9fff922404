extension StudyPresets {
    /// Finding 7 of the research spec: a DQN on MinAtar with LayerNorm (+ weight decay) keeps
    /// learning where the baseline's plasticity metrics degrade. Groups are two single games
    /// and continual MinAtar; runs are `RLRunConfig`s (`kind = "rl"`). The quick scale is a
    /// short-horizon check sized for 5 minutes on 2 cores (10 000 frames per run: the agent
    /// is above random play but far from converged); full is MinAtar's usual scale.
    static let rl = """
        name = "rl"
        kind = "rl"
        title = "DQN on MinAtar: LayerNorm (+ weight decay) keeps the network plastic"
        claim = "A DQN on MinAtar with LayerNorm (and weight decay) keeps learning where the baseline's plasticity metrics degrade: the baseline's dormant-unit ratio rises, its feature rank (srank) falls and its parameter norm grows, more than with LayerNorm + weight decay; on continual MinAtar the gap is largest after a game switch."
        source = "Lyle et al. 2023, Understanding plasticity in neural networks (ICML, arXiv:2303.01486): layer normalization in a deep RL agent on the ALE; Lyle et al. 2024, Disentangling the causes of plasticity loss (arXiv:2402.18762): LayerNorm + weight decay in RL on the ALE; ReDo: Sokar et al. 2023 (ICML, arXiv:2302.12902)"
        seeds = 5

        [base]
        kind = "rl"
        [base.rl]
        log_every = 1000
        diagnostics_every = 2000
        probe_size = 128
        entk_examples = 32
        checkpoint_every = 4000
        [base.dqn]
        lr = 5e-4
        batch = 32
        train_every = 4
        target_update = 250
        epsilon_end = 0.05

        [scales.quick.rl]
        frames = 10000
        switch_every = 5000
        [scales.quick.dqn]
        replay = 20000
        learning_starts = 1000
        epsilon_frames = 5000

        [scales.full.rl]
        frames = 1500000
        switch_every = 500000
        log_every = 10000
        diagnostics_every = 50000
        probe_size = 256
        checkpoint_every = 100000
        [scales.full.dqn]
        lr = 1e-4
        train_every = 1
        target_update = 1000
        replay = 100000
        learning_starts = 5000
        epsilon_frames = 100000

        [[groups]]
        label = "breakout"
        metric = "return_mean_100"
        # δ = 10 % of the rival's mean return, declared before running (returns differ in
        # scale between games): smaller differences are reported as ties.
        relative_margin = 0.1
        [groups.config.rl]
        games = ["breakout"]

        [[groups]]
        label = "space_invaders"
        metric = "return_mean_100"
        # δ = 10 % of the rival's mean return, declared before running (returns differ in
        # scale between games): smaller differences are reported as ties.
        relative_margin = 0.1
        [groups.config.rl]
        games = ["space_invaders"]

        # Continual MinAtar: one agent, the games in turn, switch_every frames each (10
        # padded channels, all 6 actions); network, Adam state and replay buffer carry over.
        # Quick plays Space Invaders then Breakout; full plays all three games.
        [[groups]]
        label = "continual"
        metric = "return_mean_100"
        # δ = 10 % of the rival's mean return, declared before running (returns differ in
        # scale between games): smaller differences are reported as ties.
        relative_margin = 0.1
        [groups.config.rl]
        games = ["space_invaders", "breakout", "asterix"]

        [[variants]]
        label = "baseline"

        [[variants]]
        label = "layernorm"
        [variants.config.dqn]
        norm = "layernorm"

        [[variants]]
        label = "layernorm + wd"
        [variants.config.dqn]
        norm = "layernorm"
        weight_decay = 0.1

        [[variants]]
        label = "redo"
        [[variants.config.interventions]]
        name = "redo"
        tau = 0.1
        every = 250
        """
}
