import Foundation
import Testing
import Tensors
import Networks
import Connectivity

/// Linear(4,6) → BatchNorm(6) → ReLU → Linear(6,5) → ReLU → Linear(5,3), PyTorch init from `seed`.
private func mlp(seed: UInt64) -> Network {
    var rng = RandomGenerator(seed: seed)
    return Network(Sequential(Linear(4, 6, rng: &rng), BatchNorm(6), Activation(.relu), Linear(6, 5, rng: &rng),
                              Activation(.relu), Linear(5, 3, rng: &rng)))
}

/// `count` random examples of 4 features with labels in 0..<3.
private func classification(_ count: Int, seed: UInt64, name: String = "train") -> EvaluationSet {
    var rng = RandomGenerator(seed: seed)
    let x = (0..<(count * 4)).map { _ in rng.normal() }
    let y = (0..<count).map { _ in rng.below(3) }
    return EvaluationSet(name: name, exampleShape: Shape(4), inputs: x, targets: .classes(y, count: 3))
}

/// A network's state dict with BatchNorm running statistics made non-trivial.
private func trainedLikeState(seed: UInt64) -> [StateEntry] {
    let net = mlp(seed: seed)
    var rng = RandomGenerator(seed: seed &+ 100)
    for (_, b) in net.buffers where b.storedType == .float32 {
        for i in 0..<b.tensor.count { b.tensor.data[i] = 0.5 + rng.uniform() }
    }
    return net.stateDict()
}

@Suite struct BarrierTests {
    @Test func barrierMatchesHandComputation() {
        // chord 1 + 2α = [1, 1.5, 2, 2.5, 3]; excess [0, 1, 1, −0.5, 0]: first maximum at α = 0.25.
        let alphas = [0, 0.25, 0.5, 0.75, 1.0]
        let loss = Barrier.loss(alphas: alphas, values: [1, 2.5, 3, 2, 3])
        #expect(abs(loss.value - 1) < 1e-12)
        #expect(loss.alpha == 0.25)
        // chord 0.9 − 0.1α = [0.9, 0.875, 0.85, 0.825, 0.8]; drop [0, 0.275, 0.15, 0.025, 0].
        let acc = Barrier.accuracy(alphas: alphas, values: [0.9, 0.6, 0.7, 0.8, 0.8])
        #expect(abs(acc.value - 0.275) < 1e-12)
        #expect(acc.alpha == 0.25)
        // Midpoint against other endpoints (L_A = 2, L_B = 4): 3 − (2 + 0.5·2) = 0.
        #expect(Barrier.midpoint(alphas: alphas, values: [1, 2.5, 3, 2, 3], endpoints: (2, 4)) == 0)
        #expect(abs(Barrier.midpoint(alphas: [0, 0.4, 0.7, 1], values: [0, 5, 1, 0], endpoints: (1, 2)) - (5 - 1.4)) < 1e-12)
        // A convex curve lies below its chord: the barrier is the endpoint's 0.
        #expect(Barrier.loss(alphas: alphas, values: alphas.map { ($0 - 0.5) * ($0 - 0.5) }).value == 0)
    }

    @Test func gridHasBothEndpoints() {
        let g = ConnectivityOptions.grid(21)
        #expect(g.count == 21 && g.first == 0 && g.last == 1 && abs(g[10] - 0.5) < 1e-15)
    }
}

@Suite struct InterpolationTests {
    @Test func networkWithItselfHasZeroBarriers() throws {
        let state = trainedLikeState(seed: 1)
        let pair = try EndpointPair(network: mlp(seed: 9), a: state, b: state)
        let analysis = ConnectivityAnalysis(pair: pair, train: classification(64, seed: 2),
                                            test: classification(32, seed: 3, name: "test"))
        let report = try analysis.run()
        #expect(report.curves.count == 1 + 2 * 4 + 2 * 3)
        for c in report.curves {
            #expect(c.train.lossBarrier == 0, "\(c.label)")
            #expect(c.train.accuracyBarrier == 0, "\(c.label)")
            #expect(c.test?.lossBarrier == 0, "\(c.label)")
            #expect(c.train.midpointBarrier == 0, "\(c.label)")
            #expect(Set(c.train.loss).count == 1, "\(c.label): the loss must not move along the path")
        }
    }

    @Test func singleLayerInterpolationLeavesOtherParametersBitIdentical() throws {
        let sa = trainedLikeState(seed: 1), sb = trainedLikeState(seed: 2)
        let net = mlp(seed: 9)
        let pair = try EndpointPair(network: net, a: sa, b: sb)
        let layer = ParameterGroup.layers(net)[2]
        #expect(layer.name == "layers.3" && layer.parameterNames == ["layers.3.weight", "layers.3.bias"])
        let alpha: Float = 0.37
        for others in [Endpoint.a, .b] {
            try pair.interpolate(layer, alpha: alpha, others: others)
            let base = others == .a ? sa : sb
            for (name, p) in net.parameters {
                let got = p.valueTensor().values
                let ea = sa.first { $0.name == name }!.tensor.values, eb = sb.first { $0.name == name }!.tensor.values
                if layer.parameterNames.contains(name) {
                    #expect(got == zip(ea, eb).map { $0 + alpha * ($1 - $0) }, "\(name)")
                    #expect(got != ea && got != eb)
                } else {
                    let expected = base.first { $0.name == name }!.tensor.values
                    #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(name) changed")
                }
            }
            for (name, b) in net.buffers {
                let expected = base.first { $0.name == name }!.tensor.values
                #expect(b.tensor.values.map(\.bitPattern) == expected.map(\.bitPattern), "\(name) changed")
            }
        }
    }

    @Test func endpointsAreExactlyAAndB() throws {
        let sa = trainedLikeState(seed: 1), sb = trainedLikeState(seed: 2)
        let net = mlp(seed: 9)
        let pair = try EndpointPair(network: net, a: sa, b: sb)
        try pair.interpolate(.all(net), alpha: 0, others: .b)
        #expect(net.parameterVector().map(\.bitPattern) == pair.a.map(\.bitPattern))
        try pair.interpolate(.all(net), alpha: 1, others: .a)
        #expect(net.parameterVector().map(\.bitPattern) == pair.b.map(\.bitPattern))
    }

    @Test func convexModelHasNoBarriers() throws {
        // Linear regression with MSE is convex in (W, b) jointly, so every path, whole or
        // restricted to any group, lies below its chord.
        func linear(_ seed: UInt64) -> Network {
            var rng = RandomGenerator(seed: seed)
            return Network(Sequential(Linear(5, 2, rng: &rng)))
        }
        var rng = RandomGenerator(seed: 4)
        let x = (0..<(200 * 5)).map { _ in rng.normal() }, y = (0..<(200 * 2)).map { _ in rng.normal() }
        let data = EvaluationSet(name: "train", exampleShape: Shape(5), inputs: x, targets: .values(y, width: 2))
        let net = linear(0)
        let pair = try EndpointPair(network: net, a: linear(1).stateDict(), b: linear(2).stateDict())
        let analysis = ConnectivityAnalysis(pair: pair, train: data, test: nil)
        let weight = try ParameterGroup.custom(name: "weight", members: ["layers.0.weight"], in: net)
        let report = try analysis.run(custom: [weight])
        #expect(report.curves.count == 3 + 2)
        for c in report.curves {
            #expect(c.train.lossBarrier <= 1e-6, "\(c.label): \(c.train.lossBarrier)")
            #expect(c.train.accuracy == nil)
        }
        // The midpoint sits strictly below the chord: the paths really move.
        let whole = try #require(report.whole)
        #expect(whole.train.loss[10] < (whole.train.loss[0] + whole.train.loss[20]) / 2 - 1e-3)
        // Midpoint barriers of partial paths are measured against the whole path's endpoints.
        let layerPath = report.curves[1]
        let chord = whole.train.loss[0] + 0.5 * (whole.train.loss[20] - whole.train.loss[0])
        #expect(layerPath.train.midpointBarrier == layerPath.train.loss[10] - chord)
    }

    @Test func wholeCurveEndsAtTheEndpointLosses() throws {
        let sa = trainedLikeState(seed: 1), sb = trainedLikeState(seed: 2)
        let data = classification(50, seed: 5)
        var options = ConnectivityOptions()
        options.alphas = ConnectivityOptions.grid(5)
        options.recomputeBatchNorm = false
        options.cumulative = false
        let report = try ConnectivityAnalysis(pair: EndpointPair(network: mlp(seed: 9), a: sa, b: sb), train: data, test: nil,
                                              options: options).run()
        func loss(_ s: [StateEntry]) throws -> Double {
            let net = mlp(seed: 0)
            try net.load(s)
            return SetEvaluator().evaluate(net, on: data).loss
        }
        let whole = try #require(report.whole)
        let lossA = try loss(sa), lossB = try loss(sb)
        #expect(whole.train.loss.first == lossA && whole.train.loss.last == lossB)
        #expect(report.curves.count == 1 + 2 * 4)
    }
}

@Suite struct BatchNormRecomputeTests {
    @Test func recomputeAveragesBatchMeansAndUnbiasedVariances() {
        let norm = BatchNorm(2)
        let net = Network(Sequential(norm))
        let x: [Float] = [1, 10, 2, 20, 4, 40, /* batch 2 */ -1, 0, 3, 5, 5, 7]
        let data = EvaluationSet(name: "train", exampleShape: Shape(2), inputs: x, targets: .values([Float](repeating: 0, count: 12), width: 2))
        #expect(BatchNormStatistics.recompute(net, on: data, batchSize: 3) == 2)
        // channel 0: batch means 7/3 and 7/3; unbiased variances (42/9)/2 = 7/3 and (168/9)/2 = 28/3,
        // averages 7/3 and 35/6. Channel 1 is checked against the same formula computed below.
        func stats(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1))
        }
        let c0 = [stats([1, 2, 4]), stats([-1, 3, 5])], c1 = [stats([10, 20, 40]), stats([0, 5, 7])]
        let rm = norm.runningMean.tensor.values, rv = norm.runningVariance.tensor.values
        #expect(abs(Double(rm[0]) - 7.0 / 3) < 1e-5 && abs(Double(rv[0]) - 35.0 / 6) < 1e-5)
        #expect(abs(Double(rm[0]) - (c0[0].0 + c0[1].0) / 2) < 1e-5)
        #expect(abs(Double(rm[1]) - (c1[0].0 + c1[1].0) / 2) < 1e-4 && abs(Double(rv[1]) - (c1[0].1 + c1[1].1) / 2) < 1e-3)
        #expect(norm.batchesTracked.tensor.values == [2])
    }

    @Test func interpolationWithRecomputeChangesRunningStatistics() throws {
        let sa = trainedLikeState(seed: 1), sb = trainedLikeState(seed: 2)
        let net = mlp(seed: 9)
        let pair = try EndpointPair(network: net, a: sa, b: sb)
        try pair.interpolate(.all(net), alpha: 0.5, others: .a)
        let interpolated = net.buffers[0].buffer.tensor.values
        #expect(interpolated == zip(sa.first { $0.name == "layers.1.running_mean" }!.tensor.values,
                                    sb.first { $0.name == "layers.1.running_mean" }!.tensor.values).map { $0 + 0.5 * ($1 - $0) })
        BatchNormStatistics.recompute(net, on: classification(40, seed: 6))
        let recomputed = net.buffers[0].buffer.tensor.values
        #expect(recomputed != interpolated)
        // The mean of layers.1's input, Linear(4,6)(x) over the 40 examples, computed directly.
        let set = classification(40, seed: 6)
        let linear = (net.root as! Sequential).layers[0] as! Linear
        let w = linear.weight.valueTensor().values, b = linear.bias!.valueTensor().values
        for c in 0..<6 {
            var s = 0.0
            for n in 0..<40 {
                var z = Double(b[c])
                for j in 0..<4 { z += Double(w[c * 4 + j]) * Double(set.inputs[n * 4 + j]) }
                s += z
            }
            #expect(abs(Double(recomputed[c]) - s / 40) < 1e-4)
        }
    }
}

@Suite struct CheckpointErrorTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lmc-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func mismatchedShapeNamesTheFileAndKey() throws {
        let dir = try directory()
        let a = dir.appendingPathComponent("A.safetensors"), b = dir.appendingPathComponent("B.safetensors")
        try mlp(seed: 1).saveSafetensors(to: a)
        var rng = RandomGenerator(seed: 2)
        try Network(Sequential(Linear(4, 7, rng: &rng), BatchNorm(7), Activation(.relu), Linear(7, 5, rng: &rng),
                               Activation(.relu), Linear(5, 3, rng: &rng))).saveSafetensors(to: b)
        let error = #expect(throws: ConnectivityError.self) { try EndpointPair(network: mlp(seed: 0), a: a, b: b) }
        #expect(error?.description == "\(b.path): key 'layers.0.weight' has shape [7, 4], the network expects [6, 4]")
    }

    @Test func mismatchedNamesNameTheFileAndKey() throws {
        let dir = try directory()
        let a = dir.appendingPathComponent("A.safetensors"), b = dir.appendingPathComponent("B.safetensors")
        try mlp(seed: 1).saveSafetensors(to: a)
        try SafetensorsFile(stateDict: mlp(seed: 2).stateDict().map {
            StateEntry(name: $0.name.replacingOccurrences(of: "layers.", with: "net."), tensor: $0.tensor, storedType: $0.storedType)
        }).write(to: b)
        let error = #expect(throws: ConnectivityError.self) { try EndpointPair(network: mlp(seed: 0), a: a, b: b) }
        #expect(error?.description == "\(b.path): missing key 'layers.0.weight'")
    }

    @Test func malformedAndMissingFilesAreClearErrors() throws {
        let dir = try directory()
        let bad = dir.appendingPathComponent("bad.safetensors"), good = dir.appendingPathComponent("A.safetensors")
        try Data([1, 2, 3]).write(to: bad)
        try mlp(seed: 1).saveSafetensors(to: good)
        let malformed = #expect(throws: SafetensorsError.self) { try EndpointPair(network: mlp(seed: 0), a: good, b: bad) }
        #expect(malformed?.description.hasPrefix(bad.path + ":") == true)
        let missing = dir.appendingPathComponent("nope.safetensors")
        let absent = #expect(throws: ConnectivityError.self) { try EndpointPair(network: mlp(seed: 0), a: missing, b: good) }
        #expect(absent?.description == "\(missing.path): no such file")
    }

    @Test func unknownGroupMemberIsAnError() {
        let error = #expect(throws: ConnectivityError.self) { try ParameterGroup.custom(name: "g", members: ["layers.9"], in: mlp(seed: 0)) }
        #expect(error?.description.hasPrefix("group 'g': 'layers.9' is not a parameter or layer of the network") == true)
    }
}

@Suite struct RobustnessTests {
    @Test func averagingIncreaseAndSampleCounts() throws {
        let sa = trainedLikeState(seed: 1), sb = trainedLikeState(seed: 2)
        let data = classification(60, seed: 7)
        let net = mlp(seed: 9)
        let pair = try EndpointPair(network: net, a: sa, b: sb)
        let analysis = ConnectivityAnalysis(pair: pair, train: data, test: nil)
        let results = try analysis.robustness(samples: 3, seed: 1)
        #expect(results.map(\.group) == ["layers.0", "layers.1", "layers.3", "layers.5"])
        // Independently: θ_A with layers.3 taken from B, BatchNorm recomputed.
        let check = mlp(seed: 0)
        try check.load(sa.map { e in e.name.hasPrefix("layers.3.") ? sb.first { $0.name == e.name }! : e })
        BatchNormStatistics.recompute(check, on: data)
        let replaced = SetEvaluator().evaluate(check, on: data).loss
        let r = results[2]
        #expect(abs(r.averagingIncrease! - (replaced - r.baseLoss)) < 1e-9)
        #expect(r.groupIncreases.count == 3 && r.wholeIncreases.count == 3)
        #expect(abs(r.radius - (try pair.distance(ParameterGroup.layers(net)[2]))) < 1e-12)
        // Same seed, same draws.
        #expect(try analysis.robustness(samples: 3, seed: 1) == results)
        // The network is left at θ_A.
        #expect(net.parameterVector() == pair.a)
    }
}
