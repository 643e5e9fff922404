import Foundation
import Testing
import Tensors
@testable import Networks

/// The footprint counted without building equals what `build` allocates, and the budget
/// refuses what does not fit before anything is allocated.
@Suite struct ArchitectureFootprintTests {
    @Test(arguments: Architecture.Family.allCases, Architecture.Norm.allCases)
    func parametersEqualTheBuiltNetwork(family: Architecture.Family, norm: Architecture.Norm) throws {
        let shape: Shape = family == .mlp ? [1, 28, 28] : [3, 16, 16]
        for activation in family == .resnet ? ["relu"] : ["relu", "crelu"] {
            let arch = try Architecture(family: family, widths: family == .resnet ? [4, 8] : ArchitectureTests.smallWidths(family),
                                        activation: activation, norm: norm)
            var rng = RandomGenerator(seed: 1)
            let network = try arch.build(inputShape: shape, outputs: 10, rng: &rng)
            let buffers = network.buffers.reduce(0) { $0 + $1.buffer.tensor.count }
            let footprint = try arch.footprint(inputShape: shape, outputs: 10)
            #expect(footprint.parameters == Double(network.parameterCount + buffers), "\(arch)")
        }
    }

    /// mlp[4] on [3] → 2: Linear 3→4 (16 parameters), ReLU, Linear 4→2 (10); outputs 4 + 4 + 2.
    @Test func handCountedMLP() throws {
        let f = try Architecture(family: .mlp, widths: [4]).footprint(inputShape: [3], outputs: 2)
        #expect(f.parameters == 26)
        #expect(f.activationsPerExample == 10)
        #expect(f.workspacePerExample == 0)
        // 4·(4·26 + 8·(2·10 + 0)) bytes.
        #expect(f.trainingBytes(batch: 8) == 4 * (4 * 26 + 8 * 20))
    }

    /// cnn[2,2,3] on [1,4,4] → 2: conv 1→2 (9·2+2 = 20) output 2×4×4 = 32 with a 9×16 patch
    /// buffer, ReLU 32, pool 2×2×2 = 8, conv 2→2 (18·2+2 = 38) output 8 with an 18×4 buffer,
    /// ReLU 8, pool 2, Linear 2→3 (9) 3, ReLU 3, Linear 3→2 (8) 2.
    @Test func handCountedCNN() throws {
        let f = try Architecture(family: .cnn, widths: [2, 2, 3]).footprint(inputShape: [1, 4, 4], outputs: 2)
        #expect(f.parameters == 20 + 38 + 9 + 8)
        #expect(f.activationsPerExample == 32 + 32 + 8 + 8 + 8 + 2 + 3 + 3 + 2)
        #expect(f.workspacePerExample == 9 * 16 + 18 * 4)
    }

    /// A width that would overflow Int in a parameter count is counted in Double and refused
    /// by name; nothing is allocated (the test would abort otherwise).
    @Test func absurdWidthsAreRefusedBeforeAllocation() throws {
        let arch = try Architecture(parsing: "mlp[99999999999] relu")
        let budget = MemoryBudget(limitBytes: 8 * 1_073_741_824, remedy: "raise it")
        #expect(throws: MemoryBudgetError.self) {
            try budget.check(arch, inputShape: [1, 28, 28], outputs: 10, input: "--arch", usage: "training") { $0.trainingBytes(batch: 128) }
        }
        do {
            try budget.check(arch, inputShape: [1, 28, 28], outputs: 10, input: "--arch", usage: "training") { $0.trainingBytes(batch: 128) }
        } catch let e as MemoryBudgetError {
            #expect(e.input == "--arch")
            // 7.95e13 parameters (784·10^11 + …) and 2·10^11 + 10 outputs per example.
            let w: Double = 99_999_999_999
            let parameters: Double = 785 * w + 10 * (w + 1), outputs: Double = 2 * w + 10
            let bytes: Double = 4 * (4 * parameters + 128 * 2 * outputs)
            #expect(e.message == "needs \(MemoryBudget.format(bytes)) (mlp[99999999999] relu norm=none on [1, 28, 28] → 10 outputs: 7.95e+13 parameters, training), above the memory limit of 8 GiB; raise it",
                    "\(e.message)")
        }
        let fits = try Architecture(family: .mlp, widths: [256, 256])
        try budget.check(fits, inputShape: [1, 28, 28], outputs: 10, input: "--arch", usage: "training") { $0.trainingBytes(batch: 128) }
    }

    @Test func budgetFormatsAndParsesLimits() throws {
        #expect(MemoryBudget.format(512) == "512 bytes")
        #expect(MemoryBudget.format(3 * 1_073_741_824) == "3 GiB")
        #expect(MemoryBudget.format(.infinity) == "an unbounded number of bytes")
        #expect(try MemoryBudget.gigabytes("1.5", source: "--memory-limit") == 1.5 * 1_073_741_824)
        #expect(throws: MemoryBudgetError(input: "--memory-limit", message: "'-1' is not a memory limit in GiB (a number in (0, 1048576])")) {
            try MemoryBudget.gigabytes("-1", source: "--memory-limit")
        }
        #expect(throws: MemoryBudgetError.self) { try MemoryBudget(limitBytes: 100).check(bytes: .nan, for: "x") }
    }

    /// A NaN or infinite value in a state dict is refused with its key and index, and the
    /// network is left unchanged.
    @Test func nonFiniteStateDictIsRefused() throws {
        var rng = RandomGenerator(seed: 0)
        let network = try Architecture(family: .mlp, widths: [3]).build(inputShape: [2], outputs: 2, rng: &rng)
        let before = network.parameterVector()
        var entries = network.stateDict()
        let i = entries.firstIndex { $0.name == "layers.3.weight" }!
        let bad = entries[i].tensor.copy()
        bad.data[4] = .infinity
        entries[i] = StateEntry(name: "layers.3.weight", tensor: bad)
        do {
            try network.load(entries)
            Issue.record("loaded a state dict holding inf")
        } catch let e as StateDictError {
            #expect(e.isNonFinite)
            #expect(e.description == "key 'layers.3.weight' holds inf at flat index 4 of 6: parameters and buffers must be finite")
        }
        #expect(network.parameterVector() == before)
    }
}
