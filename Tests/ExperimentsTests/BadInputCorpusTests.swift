@testable import Datasets
import Foundation
import Subprocesses
import Networks
import Tensors
import Testing
@testable import Experiments

/// A corpus of bad inputs a hostile or careless user gives: configs, IDX and `.npy` data,
/// safetensors checkpoints, command-line flags and run directories. Each runs the real
/// `plasticity` under a 2 GiB address-space limit (`ulimit -v`, so no case can reach 2 GB of
/// RSS: a huge allocation would fail and crash, which the test sees as a signal) and must
/// exit with status 1 (64 for a usage error) and exactly one stderr line naming its input.
@Suite(.serialized) struct BadInputCorpusTests {
    /// One bad input: files to write under the case's directory, the arguments (`$D` is that
    /// directory, `$A` the shared assets), the status and a fragment of the one error line.
    struct Case: CustomStringConvertible {
        let name: String
        var files: [String: [UInt8]] = [:]
        let arguments: [String]
        var status: Int32 = 1
        let fragment: String
        var description: String { name }
    }

    /// Valid inputs the cases start from, written once.
    static let assets: URL = {
        let root = CLI.temporaryDirectory("corpus-assets")
        var rng = RandomGenerator(seed: 0)
        let network = try! Architecture(family: .mlp, widths: [4]).build(inputShape: Shape(784), outputs: 10, rng: &rng)
        try! network.saveSafetensors(to: root.appendingPathComponent("m.safetensors"))
        try! NPYArray.write(shape: [4, 784], values: [Float](repeating: 0.5, count: 4 * 784), to: root.appendingPathComponent("x.npy").path)
        try! NPYArray.write(shape: [4], values: [0, 1, 2, 3], to: root.appendingPathComponent("y.npy").path)
        try! CLI.write(smallConfig, to: root.appendingPathComponent("ok.toml"))
        return root
    }()

    static let smallConfig = """
        [data]
        dataset = "gaussian-clusters"
        count = 100
        [model]
        widths = [4]
        [stream]
        tasks = 1
        steps_per_task = 2
        """

    // MARK: file builders

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// An IDX file of unsigned bytes with `dims` in its header and `count` data bytes.
    static func idx(_ dims: [UInt32], data count: Int, magic: [UInt8] = [0, 0, 8]) -> [UInt8] {
        magic + [UInt8(dims.count)] + dims.flatMap { d in [24, 16, 8, 0].map { UInt8(d >> $0 & 0xff) } } + [UInt8](repeating: 1, count: count)
    }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        let dir = CLI.temporaryDirectory("corpus-gz"), file = dir.appendingPathComponent("f")
        try! Data(bytes).write(to: file)
        let r = try! Subprocess.run("/bin/gzip", ["-f", file.path], timeout: 60)
        precondition(r.status == 0, "gzip failed: \(r.tail())")
        return [UInt8](try! Data(contentsOf: dir.appendingPathComponent("f.gz")))
    }

    /// A .npy file (version 1.0) with `header` and `data`.
    static func npy(_ header: String, _ data: [UInt8] = []) -> [UInt8] {
        let h = Array(header.utf8)
        return NPYArray.magic + [1, 0, UInt8(h.count & 0xff), UInt8(h.count >> 8)] + h + data
    }

    static func f4(_ values: [Float]) -> [UInt8] { values.flatMap { v in (0..<4).map { UInt8(v.bitPattern >> (8 * $0) & 0xff) } } }

    /// A safetensors file: an 8-byte little-endian header length, the JSON header, the data.
    static func safetensors(_ header: String, _ data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8), n = length ?? UInt64(h.count)
        return (0..<8).map { UInt8(n >> (8 * $0) & 0xff) } + h + data
    }

    /// The valid mlp[4] checkpoint with entry `name`'s value at flat `index` replaced.
    static func poisoned(_ name: String, index: Int, value: Float) -> [UInt8] {
        var rng = RandomGenerator(seed: 0)
        let network = try! Architecture(family: .mlp, widths: [4]).build(inputShape: Shape(784), outputs: 10, rng: &rng)
        let p = network.parameters.first { $0.name == name }!.parameter
        p.value[index] = value
        return try! (try! SafetensorsFile(stateDict: network.stateDict())).encoded()
    }

    // MARK: the corpus

    static func configCases() -> [Case] {
        func run(_ name: String, _ toml: String, _ fragment: String) -> Case {
            Case(name: "config: \(name)", files: ["c.toml": text(toml)], arguments: ["run", "$D/c.toml", "--out", "$D/run"], fragment: fragment)
        }
        let base = smallConfig + "\n"
        return [
            run("malformed table", "seed = 1\n[stream\n", "c.toml:2: invalid TOML"),
            run("table header toml++ aborts on", "[@data]\n", "c.toml:1: invalid TOML"),
            run("NUL byte after line 1", "seed = 1\n\u{0}[stream]\ntasks = 0\n", "c.toml:2: invalid TOML: control character U+0000"),
            run("escape character in a key", "[stream]\n\u{1B}tasks = 2\n", "c.toml:2: invalid TOML: control character U+001B"),
            run("bare carriage return", "seed = 1\rseed = 2\n", "c.toml:1: invalid TOML: control character U+000D"),
            Case(name: "config: sweep with a NUL byte", files: ["s.toml": text("name = \"s\"\n\u{0}[grid]\n")],
                 arguments: ["sweep", "$D/s.toml", "--out", "$D/s"], fragment: "s.toml:2: invalid TOML: control character U+0000"),
            run("stray brace in an array", "[model]\nwidths = [4, }]\n", "c.toml:2: invalid TOML"),
            run("unknown top-level key", "sed = 1\n", "c.toml:1: sed: unknown key"),
            run("unknown section key", "[stream]\nstepz = 3\n", "c.toml:2: stream.stepz: unknown key"),
            run("string for a number", "[optimizer]\nlr = \"fast\"\n", "optimizer.lr: expected a number"),
            run("NaN learning rate", "[optimizer]\nlr = nan\n", "optimizer.lr"),
            run("infinite learning rate", "[optimizer]\nlr = inf\n", "optimizer.lr"),
            run("unknown protocol", "[stream]\nprotocol = \"random-lables\"\n", "stream.protocol: unknown value"),
            run("zero tasks", "[stream]\ntasks = 0\n", "stream.tasks"),
            run("tasks above the limit", "[stream]\ntasks = 99999999999\n", "stream.tasks: must be ≤"),
            run("steps that overflow", "[stream]\nsteps_per_task = 4611686018427387904\n", "stream.steps_per_task: must be ≤"),
            run("negative steps", "[stream]\nsteps_per_task = -5\n", "stream.steps_per_task"),
            run("empty widths", "[model]\nwidths = []\n", "widths"),
            run("zero width", "[model]\nwidths = [0]\n", "widths"),
            run("width above the limit", "[model]\nwidths = [100000]\n", "model.widths"),
            run("cnn with two widths", "[model]\narch = \"cnn\"\nwidths = [4, 4]\n", "widths"),
            run("unknown family", "[model]\narch = \"transformer\"\n", "model.arch: unknown value"),
            run("unknown activation", "[model]\nactivation = \"swishy\"\n", "activation"),
            run("unknown norm", "[model]\nnorm = \"groupnorm\"\n", "model.norm: unknown value"),
            run("unknown optimiser", "[optimizer]\nname = \"lion\"\n", "optimizer.name: unknown value"),
            run("unknown schedule", "[optimizer]\nschedule = \"warmup\"\n", "optimizer.schedule: unknown value"),
            run("zero batch", "[train]\nbatch_size = 0\n", "train.batch_size"),
            run("batch above the limit", "[train]\nbatch_size = 99999999\n", "train.batch_size: must be ≤"),
            run("zero threads", "[train]\nthreads = 0\n", "train.threads"),
            run("unknown loss", "[loss]\nkind = \"hinge\"\n", "loss.kind: unknown value"),
            run("unknown dataset", "[data]\ndataset = \"imagenet\"\n", "data.dataset: unknown value"),
            run("missing data directory", "[data]\ndir = \"/nonexistent/fmnist\"\n", "/nonexistent/fmnist: data directory does not exist"),
            run("missing npy inputs", "[data]\ndataset = \"npy\"\ninputs = \"/nonexistent/x.npy\"\nlabels = \"/nonexistent/y.npy\"\n", "/nonexistent/x.npy: no such file"),
            run("unknown diagnostics group", "[diagnostics]\ngroups = [\"vibes\"]\n", "diagnostics.groups"),
            run("probe size above the limit", "[diagnostics]\nprobe_size = 99999999\n", "diagnostics.probe_size: must be ≤"),
            run("unknown intervention", "[[interventions]]\nname = \"magic\"\n", "magic"),
            run("8 × 16 384 mlp", base.replacingOccurrences(of: "widths = [4]", with: "widths = [16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384]"),
                "c.toml: model: needs 28.3 GiB"),
            run("cnn on vectors", "[data]\ndataset = \"gaussian-clusters\"\n[model]\narch = \"cnn\"\nwidths = [16384, 16384, 16384]\n",
                "c.toml: model: inputShape: [20] has rank 1 (cnn needs [C, H, W])"),
            run("binary garbage", String(decoding: [0xff, 0xfe, 0x00, 0x01, 0x02], as: UTF8.self), "c.toml"),
            run("duplicate key", "seed = 1\nseed = 2\n", "c.toml:2"),
            Case(name: "config: missing file", arguments: ["run", "$D/none.toml", "--out", "$D/run"], fragment: "none.toml: no such file"),
            Case(name: "config: a directory", arguments: ["run", "$A", "--out", "$D/run"], fragment: "\(assets.path)"),
            Case(name: "config: tiny memory limit", arguments: ["run", "$A/ok.toml", "--out", "$D/run", "--memory-limit", "0.000001"],
                 fragment: "ok.toml: model: needs"),
            Case(name: "config: memory limit not a number", arguments: ["run", "$A/ok.toml", "--out", "$D/run", "--memory-limit", "lots"],
                 fragment: "--memory-limit: 'lots' is not a memory limit"),
        ]
    }

    static func idxCases() -> [Case] {
        let labels = idx([4], data: 4), images = idx([4, 28, 28], data: 4 * 784), t10k = ["t10k-images-idx3-ubyte": images, "t10k-labels-idx1-ubyte": labels]
        func data(_ name: String, images: [UInt8], labels: [UInt8] = labels, gz: Bool = false, _ fragment: String) -> Case {
            let suffix = gz ? ".gz" : ""
            var files = t10k
            files["train-images-idx3-ubyte" + suffix] = images
            files["train-labels-idx1-ubyte"] = labels
            return Case(name: "idx: \(name)", files: files.mapKeys { "fm/" + $0 },
                        arguments: ["diagnose", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "fashion-mnist", "--data-dir", "$D/fm"],
                        fragment: fragment)
        }
        var badLabel = labels
        badLabel[badLabel.count - 1] = 10
        return [
            data("empty", images: [], "train-images-idx3-ubyte: too short for an IDX header (0 bytes)"),
            data("bad magic", images: [1, 2] + Array(images.dropFirst(2)), "train-images-idx3-ubyte: not an IDX file"),
            data("float element type", images: idx([4, 28, 28], data: 4 * 784, magic: [0, 0, 0x0d]), "is not unsigned byte"),
            data("rank 0", images: [0, 0, 8, 0], "IDX rank 0 outside 1…4"),
            data("rank 9", images: [0, 0, 8, 9] + [UInt8](repeating: 0, count: 36), "IDX rank 9 outside 1…4"),
            data("truncated header", images: [0, 0, 8, 3, 0, 0], "truncated IDX header"),
            data("truncated pixels", images: Array(images.dropLast(100)), "truncated: header promises 3136 values"),
            data("trailing bytes", images: images + [1, 2, 3], "3 bytes of trailing data"),
            data("2^40 values claimed", images: idx([65536, 65536, 256], data: 12), "truncated: header promises 1099511627776 values"),
            data("overflowing header", images: [0, 0, 8, 4] + [UInt8](repeating: 0xff, count: 16), "more than 2^64 values"),
            data("images without pixels", images: idx([4, 0, 28], data: 0), "hold no pixels"),
            data("rank-2 images", images: idx([4, 784], data: 4 * 784), "train images are not [N, H, W]"),
            data("labels for other images", images: images, labels: idx([5], data: 5), "[5] labels for 4 images"),
            data("label 10", images: images, labels: badLabel, "label 10 outside 0…9"),
            data("gzip: truncated", images: Array(gzip(images).dropLast(20)), gz: true, "truncated gzip stream"),
            data("gzip: corrupt", images: [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] + [UInt8](repeating: 0xff, count: 64), gz: true, "corrupt gzip stream"),
            data("gzip: header claims 4.9 M images", images: gzip(idx([4_900_000, 28, 28], data: 1 << 20)), gz: true,
                 "train-images-idx3-ubyte.gz: needs 17.9 GiB (IDX header [4900000, 28, 28]"),
            data("gzip: stream longer than its header", images: gzip(idx([4, 28, 28], data: 4 * 784 + (8 << 20))), gz: true,
                 "gzip stream inflates beyond the 3152 bytes its header promises"),
            Case(name: "idx: missing labels", files: ["fm/train-images-idx3-ubyte": images],
                 arguments: ["diagnose", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "fashion-mnist", "--data-dir", "$D/fm"],
                 fragment: "train-labels-idx1-ubyte.gz: no such file"),
        ]
    }

    static func npyCases() -> [Case] {
        func probe(_ name: String, x: [UInt8]? = nil, y: [UInt8]? = nil, _ fragment: String) -> Case {
            var files: [String: [UInt8]] = [:]
            if let x { files["x.npy"] = x }
            if let y { files["y.npy"] = y }
            return Case(name: "npy: \(name)", files: files,
                        arguments: ["diagnose", "$A/m.safetensors", "--arch", "mlp[4]", "--probe", x == nil ? "$A/x.npy" : "$D/x.npy",
                                    "--probe-labels", y == nil ? "$A/y.npy" : "$D/y.npy"],
                        fragment: fragment)
        }
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 784), }"
        let pixels = f4([Float](repeating: 0.5, count: 4 * 784))
        var nan = [Float](repeating: 0.5, count: 4 * 784)
        nan[3 * 784 + 5] = .nan
        return [
            probe("empty file", x: [], "x.npy: too short for an NPY header"),
            probe("bad magic", x: text("NUMPYXXXXXXXXXXX"), "x.npy: not an NPY file"),
            probe("version 9", x: NPYArray.magic + [9, 0, 0, 0] + text("{}"), "unsupported NPY version 9.0"),
            probe("header beyond numpy's limit", x: NPYArray.magic + [2, 0, 0x40, 0x42, 0x0f, 0], "exceeds numpy's limit"),
            probe("header not a dict", x: npy("hello"), "x.npy"),
            probe("fortran order", x: npy("{'descr': '<f4', 'fortran_order': True, 'shape': (4, 784), }", pixels), "x.npy"),
            probe("complex dtype", x: npy("{'descr': '<c8', 'fortran_order': False, 'shape': (4, 784), }", pixels + pixels), "x.npy"),
            probe("object dtype", x: npy("{'descr': '|O', 'fortran_order': False, 'shape': (4, 784), }"), "x.npy"),
            probe("truncated data", x: npy(header, Array(pixels.dropLast(8))), "x.npy"),
            probe("trailing data", x: npy(header, pixels + [1, 2, 3, 4]), "x.npy"),
            probe("shape claims 2^62 values", x: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 1), }"), "x.npy"),
            probe("negative dimension", x: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-4, 784), }"), "x.npy"),
            probe("NaN input", x: npy(header, f4(nan)), "x.npy: nan at index [3, 5] (flat 2357): inputs must be finite"),
            probe("infinite input", x: npy(header, f4([Float](repeating: .infinity, count: 4 * 784))), "x.npy: inf at index [0, 0]"),
            probe("scalar inputs", x: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", f4([1])), "x.npy: inputs must be [N, …]"),
            probe("no examples", x: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 784), }"), "x.npy: inputs of shape [0, 784] hold no values"),
            probe("labels not whole", y: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f4([0, 1.5, 2, 3])),
                  "y.npy: label 1.5 at index 1 is not a class index"),
            probe("negative label", y: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f4([0, -1, 2, 3])),
                  "y.npy: label -1.0 at index 1 is not a class index"),
            probe("NaN label", y: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f4([0, .nan, 2, 3])), "y.npy: label nan at index 1"),
            probe("labels for other inputs", y: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", f4([0, 1, 2])), "y.npy: labels of shape [3] do not match 4 inputs"),
            Case(name: "npy: missing probe", arguments: ["diagnose", "$A/m.safetensors", "--arch", "mlp[4]", "--probe", "$D/none.npy"],
                 fragment: "none.npy: no such file"),
        ]
    }

    static func safetensorsCases() -> [Case] {
        func checkpoint(_ name: String, _ bytes: [UInt8], _ fragment: String, arch: String = "mlp[4]") -> Case {
            Case(name: "safetensors: \(name)", files: ["c.safetensors": bytes],
                 arguments: ["diagnose", "$D/c.safetensors", "--arch", arch, "--probe", "$A/x.npy", "--probe-labels", "$A/y.npy"], fragment: fragment)
        }
        let weight = "\"layers.1.weight\": {\"dtype\": \"F32\", \"shape\": [4, 784], \"data_offsets\": [0, 12544]}"
        return [
            checkpoint("empty", [], "c.safetensors"),
            checkpoint("shorter than its length field", [1, 2, 3], "c.safetensors"),
            checkpoint("header length beyond the file", safetensors("{}", length: 1 << 40), "c.safetensors"),
            checkpoint("header length of 2^64 − 1", safetensors("{}", length: .max), "c.safetensors"),
            checkpoint("header not JSON", safetensors("{not json"), "c.safetensors"),
            checkpoint("header a JSON array", safetensors("[1, 2]"), "c.safetensors"),
            checkpoint("duplicate keys", safetensors("{\(weight), \(weight)}", [UInt8](repeating: 0, count: 12544)), "c.safetensors"),
            checkpoint("offsets beyond the data", safetensors("{\(weight)}", [UInt8](repeating: 0, count: 100)), "c.safetensors"),
            checkpoint("unknown dtype", safetensors("{\"a\": {\"dtype\": \"Q7\", \"shape\": [1], \"data_offsets\": [0, 4]}}", [0, 0, 0, 0]), "c.safetensors"),
            checkpoint("shape disagrees with offsets", safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 4]}}", [0, 0, 0, 0]), "c.safetensors"),
            checkpoint("JSON nested 10 000 deep", safetensors(String(repeating: "[", count: 10_000)), "c.safetensors"),
            checkpoint("NaN weight", poisoned("layers.1.weight", index: 9, value: .nan), "c.safetensors: key 'layers.1.weight' holds nan at flat index 9 of 3136"),
            checkpoint("infinite bias", poisoned("layers.3.bias", index: 2, value: -.infinity), "c.safetensors: key 'layers.3.bias' holds -inf at flat index 2 of 10"),
            checkpoint("not a state dict", safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", [0, 0, 0, 0]),
                       "c.safetensors: no 'layers.<i>.weight' matrix"),
            checkpoint("wrong architecture", poisoned("layers.1.weight", index: 0, value: 0), "c.safetensors: does not fit the architecture", arch: "mlp[8]"),
            Case(name: "safetensors: a directory", arguments: ["diagnose", "$A", "--arch", "mlp[4]", "--probe", "$A/x.npy"],
                 fragment: "\(assets.path): is a directory, not a safetensors file"),
            Case(name: "safetensors: missing", arguments: ["diagnose", "$D/none.safetensors", "--arch", "mlp[4]", "--probe", "$A/x.npy"],
                 fragment: "none.safetensors: no such file"),
            Case(name: "safetensors: lmc endpoint with NaN", files: ["b.safetensors": poisoned("layers.1.weight", index: 1, value: .nan)],
                 arguments: ["lmc", "$A/m.safetensors", "$D/b.safetensors", "--arch", "mlp[4]", "--data", "fashion-mnist", "--out", "$D/l"],
                 fragment: "b.safetensors: key 'layers.1.weight' holds nan at flat index 1"),
        ]
    }

    static func flagCases() -> [Case] {
        let diagnose = ["diagnose", "$A/m.safetensors", "--probe", "$A/x.npy"]
        func usage(_ name: String, _ arguments: [String], _ fragment: String) -> Case {
            Case(name: "flag: \(name)", arguments: arguments, status: 64, fragment: fragment)
        }
        func flag(_ name: String, _ arguments: [String], _ fragment: String) -> Case {
            Case(name: "flag: \(name)", arguments: arguments, fragment: fragment)
        }
        return [
            flag("--arch 10^11 units", diagnose + ["--arch", "mlp[99999999999] relu"], "--arch: needs 32.2 PiB"),
            flag("--arch cnn of 10^5 channels", ["diagnose", "$A/m.safetensors", "--data", "fashion-mnist", "--arch", "cnn[100000,100000,100000] relu"],
                 "--arch: needs"),
            flag("--arch cnn on vectors", diagnose + ["--arch", "cnn[4,4,4] relu"], "--arch: inputShape: [784] has rank 1 (cnn needs [C, H, W])"),
            flag("--arch unknown family", diagnose + ["--arch", "rnn[4]"], "family: unknown 'rnn'"),
            flag("--arch width not a number", diagnose + ["--arch", "mlp[4x]"], "widths: '4x' in 'mlp[4x]' is not an integer"),
            flag("--arch without ]", diagnose + ["--arch", "mlp[4"], "widths: 'mlp[4' lacks its closing ']'"),
            flag("--arch empty", diagnose + ["--arch", ""], "arch: empty"),
            flag("--arch negative width", diagnose + ["--arch", "mlp[-4]"], "widths"),
            flag("--arch unknown field", diagnose + ["--arch", "mlp[4] relu dropout=0.5"], "unknown field 'dropout=0.5'"),
            flag("--memory-limit not a number", diagnose + ["--arch", "mlp[4]", "--memory-limit", "lots"], "--memory-limit: 'lots'"),
            flag("--memory-limit negative", diagnose + ["--arch", "mlp[4]", "--memory-limit=-2"], "--memory-limit: '-2'"),
            flag("--memory-limit too small", diagnose + ["--arch", "mlp[4]", "--memory-limit", "0.0000001"], "--arch: needs"),
            flag("--split unknown", ["diagnose", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "fashion-mnist", "--split", "valid"], "unknown split 'valid'"),
            flag("--data unknown", ["diagnose", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "imagenet"], "imagenet: unknown dataset"),
            flag("--density without labels", diagnose + ["--arch", "mlp[4]", "--groups", "units", "--density", "$D/d.svg"], "--density needs probe labels"),
            usage("--trace-samples 1", diagnose + ["--arch", "mlp[4]", "--trace-samples", "1"], "--trace-samples must be ≥ 2"),
            usage("diagnose without --arch", ["diagnose", "$A/m.safetensors", "--probe", "$A/x.npy"], "give --arch SPEC or --config"),
            usage("--probe-labels without --probe", ["diagnose", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "mnist1d", "--probe-labels", "$A/y.npy"],
                  "--probe-labels needs --probe"),
            usage("--probe-size not a number", diagnose + ["--arch", "mlp[4]", "--probe-size", "many"], "--probe-size"),
            usage("unknown flag", diagnose + ["--arch", "mlp[4]", "--dormant-threshold", "0.1"], "Unknown option '--dormant-threshold'"),
            usage("lmc --points 10^12", ["lmc", "$A/m.safetensors", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "mnist1d", "--points", "1000000000000"],
                  "--points must be 2…10001"),
            usage("lmc --points 1", ["lmc", "$A/m.safetensors", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "mnist1d", "--points", "1"], "--points must be 2…10001"),
            usage("lmc --samples 0", ["lmc", "$A/m.safetensors", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "mnist1d", "--samples", "0"], "--samples must be 1…10000"),
            usage("lmc --train-subset -1", ["lmc", "$A/m.safetensors", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "mnist1d", "--train-subset=-1"],
                  "--train-subset and --test-subset must be ≥ 0"),
            flag("lmc --arch 10^11 units", ["lmc", "$A/m.safetensors", "$A/m.safetensors", "--arch", "mlp[99999999999]", "--data", "fashion-mnist", "--out", "$D/l"],
                 "--arch: needs"),
            usage("lmc without a config", ["lmc", "$A/m.safetensors", "$A/m.safetensors", "--out", "$D/l"], "no config.toml next to"),
            flag("lmc --out a file", ["lmc", "$A/m.safetensors", "$A/m.safetensors", "--arch", "mlp[4]", "--data", "fashion-mnist", "--out", "$A/ok.toml"],
                 "ok.toml: is a file, not a directory"),
            flag("study unknown", ["study", "swiss-chese", "--out", "$D/s"], "swiss-chese"),
            flag("study --scale unknown", ["study", "swiss-cheese", "--scale", "huge", "--out", "$D/s"], "huge"),
            flag("study --out a file", ["study", "swiss-cheese", "--out", "$A/ok.toml"], "ok.toml: is a file, not a directory"),
            usage("study --backend unknown", ["study", "swiss-cheese", "--backend", "kubernetes", "--out", "$D/s"], "--backend must be local or slurm"),
            flag("study --memory-limit bad", ["study", "swiss-cheese", "--memory-limit", "x", "--out", "$D/s"], "--memory-limit: 'x'"),
            usage("study without --out", ["study", "swiss-cheese"], "give --out DIR"),
            usage("bench --threads 0", ["bench", "--threads", "0"], "--threads must be between 1 and 256, not 0"),
            usage("bench --threads 100000", ["bench", "--threads", "100000"], "--threads must be between 1 and 256, not 100000"),
            usage("bench --seconds 1e300", ["bench", "--seconds", "1e300"], "--seconds must be between 0.01 and 3600, not 1e+300"),
            usage("bench --seconds nan", ["bench", "--seconds", "nan"], "--seconds must be between 0.01 and 3600, not nan"),
            usage("bench --repeats 0", ["bench", "--repeats", "0"], "--repeats must be between 1 and 1000, not 0"),
            usage("bench --only W9", ["bench", "--only", "W9"], "--only: no workload 'W9' (W1, W2, W3, W4, W5)"),
            usage("study --jobs 0", ["study", "swiss-cheese", "--jobs", "0", "--out", "$D/s"], "--jobs must be between 1 and 4096, not 0"),
            usage("study --jobs huge", ["study", "swiss-cheese", "--jobs", "100000", "--out", "$D/s"], "--jobs must be between 1 and 4096, not 100000"),
            flag("study --seeds a billion", ["study", "swiss-cheese", "--seeds", "1000000000", "--out", "$D/s"],
                 "seeds must be between 1 and 1000, not 1000000000"),
            usage("sweep --jobs -1", ["sweep", "$A/ok.toml", "--out", "$D/s", "--backend", "slurm", "--jobs=-1"],
                  "--jobs must be between 0 (no cap) and 4096, not -1"),
            usage("run without arguments", ["run"], "give CONFIG and --out DIR, or --resume DIR"),
            usage("run --allow-config-change without --resume", ["run", "$A/ok.toml", "--out", "$D/r", "--allow-config-change"],
                  "--allow-config-change applies to --resume only"),
            flag("run --out a file", ["run", "$A/ok.toml", "--out", "$A/ok.toml"], "ok.toml: is a file, not a directory"),
            flag("run --out under /proc", ["run", "$A/ok.toml", "--out", "/proc/plasticity/run"], "/proc/plasticity/run: cannot create the directory"),
            flag("report on a missing directory", ["report", "$D/none"], "none"),
            flag("report on a file", ["report", "$A/ok.toml"], "ok.toml"),
            flag("sweep on a missing file", ["sweep", "$D/none.toml", "--out", "$D/s"], "none.toml"),
            usage("unknown subcommand", ["train", "x"], "train"),
        ]
    }

    static func runDirectoryCases() -> [Case] {
        let empty: [UInt8] = [], brokenTOML = text("[[[")
        return [
            Case(name: "run dir: resume without config.toml", files: ["r/metrics.jsonl": empty], arguments: ["run", "--resume", "$D/r"], fragment: "config.toml"),
            Case(name: "run dir: resume of a missing directory", arguments: ["run", "--resume", "$D/none"], fragment: "none"),
            Case(name: "run dir: only damaged checkpoints", files: ["r/config.toml": text(smallConfig), "r/metrics.jsonl": empty,
                                                                "r/checkpoints/step-00000001.safetensors": [1, 2, 3]],
                 arguments: ["run", "--resume", "$D/r"], fragment: "no readable checkpoint to resume from (1 damaged)"),
            Case(name: "run dir: config.toml not TOML", files: ["r/config.toml": brokenTOML, "r/metrics.jsonl": empty],
                 arguments: ["run", "--resume", "$D/r"], fragment: "r/config.toml:1: invalid TOML"),
            Case(name: "rl: resume of a missing directory", arguments: ["rl", "resume", "$D/none"], fragment: "none"),
            Case(name: "rl: Q-network far too wide", files: ["rl.toml": text("kind = \"rl\"\n[rl]\ngames = [\"breakout\"]\n[dqn]\nhidden = 16384\nconv_channels = 16384\n")],
                 arguments: ["rl", "run", "$D/rl.toml", "--out", "$D/r"], fragment: "rl.toml: dqn: needs 321 GiB"),
            Case(name: "rl: gamma above 1", files: ["rl.toml": text("kind = \"rl\"\n[rl]\ngames = [\"breakout\"]\n[dqn]\ngamma = 1.5\n")],
                 arguments: ["rl", "run", "$D/rl.toml", "--out", "$D/r"], fragment: "rl.toml:5: dqn.gamma: must be in [0, 1]"),
            Case(name: "rl: epsilon below 0", files: ["rl.toml": text("kind = \"rl\"\n[rl]\ngames = [\"breakout\"]\n[dqn]\nepsilon_end = -1\n")],
                 arguments: ["rl", "run", "$D/rl.toml", "--out", "$D/r"], fragment: "rl.toml:5: dqn.epsilon_end: must be in [0, 1]"),
            Case(name: "rl: empty distributional support", files: ["rl.toml": text("kind = \"rl\"\n[rl]\ngames = [\"breakout\"]\n[dqn]\nloss = \"hl-gauss\"\nvalue_range = 0\n")],
                 arguments: ["rl", "run", "$D/rl.toml", "--out", "$D/r"], fragment: "rl.toml:6: dqn.value_range: must be > 0"),
            Case(name: "rl: replay smaller than a batch", files: ["rl.toml": text("kind = \"rl\"\n[rl]\ngames = [\"breakout\"]\n[dqn]\nreplay = 4\n")],
                 arguments: ["rl", "run", "$D/rl.toml", "--out", "$D/r"], fragment: "rl.toml:5: dqn.replay: must hold at least one batch"),
            Case(name: "rl: replay of 10^9 transitions", files: ["rl.toml": text("kind = \"rl\"\n[rl]\ngames = [\"breakout\"]\n[dqn]\nreplay = 1000000000\n")],
                 arguments: ["rl", "run", "$D/rl.toml", "--out", "$D/r"], fragment: "rl.toml"),
        ]
    }

    static let cases: [Case] = configCases() + idxCases() + npyCases() + safetensorsCases() + flagCases() + runDirectoryCases()

    @Test func corpusHasAtLeastOneHundredCases() {
        #expect(Self.cases.count >= 100, "\(Self.cases.count) cases")
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "case names repeat")
    }

    @Test(arguments: cases)
    func badInputGivesOneLineNamingItUnderAMemoryLimit(_ c: Case) throws {
        let dir = CLI.temporaryDirectory("corpus")
        for (path, bytes) in c.files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let arguments = c.arguments.map {
            $0.replacingOccurrences(of: "$D", with: dir.path).replacingOccurrences(of: "$A", with: Self.assets.path)
        }
        let child = try Subprocess("/bin/bash", ["-c", "ulimit -v 2097152; exec \"$0\" \"$@\"", CLI.executable.path] + arguments,
                                   standardOutput: .discard, standardError: .capture)
        let r = try CLI.finish(child)
        let stderr = r.standardError
        #expect(r.termination == .exited(c.status), "\(c.name): \(r.termination): \(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(c.name): \(lines.count) lines: \(stderr)")
        #expect(stderr.hasPrefix("error: "), "\(c.name): \(stderr)")
        #expect(stderr.contains(c.fragment), "\(c.name): expected '\(c.fragment)' in: \(stderr)")
        #expect(!stderr.contains("Domain="), "\(c.name): a raw Foundation error: \(stderr)")
    }
}

private extension Dictionary {
    func mapKeys<K: Hashable>(_ transform: (Key) -> K) -> [K: Value] {
        Dictionary<K, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
