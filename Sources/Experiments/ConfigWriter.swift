import Foundation
import Networks
import Streams

extension ExperimentConfig {
    /// The resolved config as TOML, every field written, in a fixed order.
    public var toml: String {
        let q = tomlString
        func num(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : "\(d)" }
        var out = "# Resolved PlasticityLab experiment config.\n"
        out += "name = \(q(name))\nseed = \(seed)\n"
        out += "\n[data]\ndataset = \(q(data.dataset))\ndir = \(q(data.directory))\ncount = \(data.count)\nseed = \(data.seed)\n"
        out += "classes = \(data.classes)\ndimension = \(data.dimension)\ninputs = \(q(data.inputs))\nlabels = \(q(data.labels))\n"
        out += "test_inputs = \(q(data.testInputs))\ntest_labels = \(q(data.testLabels))\n"
        out += "\n[stream]\nprotocol = \(q(stream.protocolName.rawValue))\ntasks = \(stream.tasks)\n"
        out += "steps_per_task = \(stream.stepsPerTask)\nsubset = \(stream.subset)\ntest_subset = \(stream.testSubset)\n"
        out += "seed = \(stream.seed)\nfraction = \(num(stream.fraction))\nshift_per_task = \(num(Double(stream.shiftPerTask)))\n"
        out += "classes_per_task = \(stream.classesPerTask)\nfirst_task_steps = \(stream.firstTaskSteps)\n"
        out += "\n[model]\narch = \(q(model.family.rawValue))\nwidths = [\(model.widths.map(String.init).joined(separator: ", "))]\n"
        out += "activation = \(q(model.activation))\nnorm = \(q(model.norm.rawValue))\nblocks_per_stage = \(model.blocksPerStage)\n"
        let o = optimizer
        out += "\n[optimizer]\nname = \(q(o.name.rawValue))\nlr = \(num(o.learningRate))\nmomentum = \(num(o.momentum))\n"
        out += "nesterov = \(o.nesterov)\nweight_decay = \(num(o.weightDecay))\nbeta1 = \(num(o.beta1))\nbeta2 = \(num(o.beta2))\n"
        out += "eps = \(num(o.epsilon))\nschedule = \(q(o.schedule.rawValue))\nmin_lr = \(num(o.minimumLearningRate))\n"
        out += "step_every = \(o.stepEvery)\ngamma = \(num(o.gamma))\nclip_norm = \(num(o.clipNorm))\n"
        out += "\n[loss]\nkind = \(q(loss.kind))\nlabel_smoothing = \(num(loss.labelSmoothing))\ndelta = \(num(loss.delta))\n"
        out += "bins = \(loss.bins)\nmin = \(num(loss.minimum))\nmax = \(num(loss.maximum))\nsigma = \(num(loss.sigma))\n"
        out += "\n[train]\nbatch_size = \(train.batchSize)\nlog_every = \(train.logEvery)\neval_every = \(train.evalEvery)\n"
        out += "checkpoint_every = \(train.checkpointEvery)\nkeep_checkpoints = \(train.keepCheckpoints)\nthreads = \(train.threads)\n"
        out += "stop_accuracy = \(num(train.stopAccuracy))\nstop_check_every = \(train.stopCheckEvery)\n"
        let d = diagnostics
        out += "\n[diagnostics]\ngroups = [\(d.groups.map(q).joined(separator: ", "))]\nevery = \(d.every)\n"
        out += "at_task_ends = \(d.atTaskEnds)\nprobe_size = \(d.probeSize)\nprobe_file = \(q(d.probeFile))\n"
        out += "probe_target = \(q(d.probeTarget))\nprobe_steps = \(d.probeSteps)\ntrace_samples = \(d.traceSamples)\n"
        for spec in interventions { out += spec.toml }
        return out
    }
}
