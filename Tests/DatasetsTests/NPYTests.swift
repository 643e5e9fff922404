import Foundation
import Testing
@testable import Datasets

/// .npy reading and writing: round trips, exchange with numpy in both directions, and the
/// exact errors for malformed files.
@Suite struct NPYTests {
    /// A .npy file with the given header text and data, in format `version`.
    func npy(_ header: String, _ data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        let h = Array(header.utf8)
        let length = version == 1 ? [UInt8(h.count & 0xff), UInt8(h.count >> 8)]
                                  : [UInt8(h.count & 0xff), UInt8(h.count >> 8 & 0xff), UInt8(h.count >> 16), 0]
        return NPYArray.magic + [version, 0] + length + h + data
    }

    /// Little-endian bytes of Float32 values.
    func f4(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(v.bitPattern >> (8 * $0) & 0xff) } }
    }

    /// The first NaN or infinite value is named with its multi-dimensional index.
    @Test func nonFiniteValuesAreNamedByIndex() throws {
        try NPYArray(shape: [2, 3], values: [0, 1, 2, 3, 4, 5]).requireFinite(path: "x.npy")
        #expect(throws: DataError("x.npy", "nan at index [1, 1] (flat 4): probe inputs must be finite")) {
            try NPYArray(shape: [2, 3], values: [0, 1, 2, 3, .nan, .infinity]).requireFinite(path: "x.npy", what: "probe inputs")
        }
        let dir = try temporaryDirectory("npy-inf")
        try NPYArray.write(shape: [2, 2], values: [0, -.infinity, 1, 1], to: dir + "/x.npy")
        try NPYArray.write(shape: [2], values: [0, 1], to: dir + "/y.npy")
        #expect(throws: DataError(dir + "/x.npy", "-inf at index [0, 1] (flat 1): inputs must be finite")) {
            try NPYDataset.load(inputs: dir + "/x.npy", labels: dir + "/y.npy")
        }
    }

    @Test func roundTripsThroughAFile() throws {
        let dir = try temporaryDirectory("npy")
        for (shape, values) in [([2, 3], [1, -2.5, 3e-38, .greatestFiniteMagnitude, 0, -0.0]),
                                ([], [7.25]), ([0], []), ([4], [1, 2, 3, 4]), ([1, 2, 1, 2], [9, 8, 7, 6])] as [([Int], [Float])] {
            let path = dir + "/a.npy"
            try NPYArray.write(shape: shape, values: values, to: path)
            let a = try NPYArray.read(path)
            #expect(a.shape == shape)
            #expect(a.values.map(\.bitPattern) == values.map(\.bitPattern))
            // The data starts at a multiple of 64 bytes.
            #expect((try Data(contentsOf: URL(fileURLWithPath: path)).count - 4 * values.count) % 64 == 0)
        }
    }

    @Test func writesTheSameBytesAsNumpyAndNumpyReadsThem() throws {
        let dir = try temporaryDirectory("npy-numpy")
        for shape in [[3, 4], [], [5], [0], [2, 1, 3], [12345678901, 0]] {
            let n = shape.reduce(1, *)
            let ours = dir + "/ours.npy", theirs = dir + "/theirs.npy"
            // Values −1, −0.75, −0.5, …: exact in Float32 and in the Python below.
            try NPYArray.write(shape: shape, values: (0..<n).map { Float($0) * 0.25 - 1 }, to: ours)
            let verdict = try Python.run("""
                import sys, numpy as np
                shape = tuple(int(s) for s in sys.argv[3:])
                want = (np.arange(int(np.prod(shape)), dtype=np.float32) * 0.25 - 1).reshape(shape)
                np.save(sys.argv[2], want)
                got = np.load(sys.argv[1])
                print(got.dtype == np.float32 and got.shape == shape and np.array_equal(got, want))
                """, [ours, theirs] + shape.map(String.init))
            #expect(verdict == "True\n", "numpy read \(shape) as \(verdict)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: ours)) == Data(contentsOf: URL(fileURLWithPath: theirs)),
                    "shape \(shape)")
        }
    }

    @Test func readsEveryDtypeAndVersionNumpyWrites() throws {
        let dir = try temporaryDirectory("npy-dtypes")
        _ = try Python.run("""
            import sys, numpy as np
            from numpy.lib import format
            d = sys.argv[1]
            np.save(d + '/f4.npy', np.array([[0.1, -2.5, 1e-30], [3.4e38, 0, -7]], dtype=np.float32))
            np.save(d + '/f8.npy', np.array([0.1, -1e300, 2.0**-1074, 123456789.123], dtype='<f8'))
            np.save(d + '/i4.npy', np.array([-2147483648, 2147483647, 0, -5], dtype='<i4'))
            np.save(d + '/i8.npy', np.array([[-3], [2**40]], dtype='<i8'))
            np.save(d + '/u1.npy', np.array([0, 255, 7], dtype=np.uint8))
            np.save(d + '/b1.npy', np.array([True, False, True]))
            np.save(d + '/scalar.npy', np.float64(2.5))
            np.save(d + '/big.npy', np.arange(-500, 500, dtype=np.int64).reshape(10, 100))
            for v in [(2, 0), (3, 0)]:
                with open(d + '/v%d.npy' % v[0], 'wb') as f:
                    format.write_array(f, np.array([1.5, -0.5], dtype=np.float32), version=v)
            np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3), dtype=np.float32)))
            np.save(d + '/big_endian.npy', np.ones(2, dtype='>f4'))
            np.save(d + '/complex.npy', np.ones(2, dtype=np.complex64))
            """, [dir])
        func read(_ name: String) throws -> NPYArray { try NPYArray.read(dir + "/" + name + ".npy") }
        #expect(try read("f4") == NPYArray(shape: [2, 3], values: [0.1, -2.5, 1e-30, 3.4e38, 0, -7]))
        #expect(try read("f8") == NPYArray(shape: [4], values: [Float(0.1 as Double), -.infinity, 0, Float(123456789.123 as Double)]))
        #expect(try read("i4") == NPYArray(shape: [4], values: [-2147483648, Float(Int32.max), 0, -5]))
        #expect(try read("i8") == NPYArray(shape: [2, 1], values: [-3, 1_099_511_627_776]))
        #expect(try read("u1") == NPYArray(shape: [3], values: [0, 255, 7]))
        #expect(try read("b1") == NPYArray(shape: [3], values: [1, 0, 1]))
        #expect(try read("scalar") == NPYArray(shape: [], values: [2.5]))
        #expect(try read("big") == NPYArray(shape: [10, 100], values: (-500..<500).map(Float.init)))
        #expect(try read("v2") == NPYArray(shape: [2], values: [1.5, -0.5]))
        #expect(try read("v3") == NPYArray(shape: [2], values: [1.5, -0.5]))
        #expect(throws: DataError(dir + "/fortran.npy", "fortran_order True is not supported (save a C-ordered array)")) { try read("fortran") }
        let supported = "(supported: <f4, <f8, <i4, <i8, |u1, <u1, |b1)"
        #expect(throws: DataError(dir + "/big_endian.npy", "unsupported dtype '>f4' \(supported)")) { try read("big_endian") }
        #expect(throws: DataError(dir + "/complex.npy", "unsupported dtype '<c8' \(supported)")) { try read("complex") }
    }

    @Test func acceptsAnyKeyOrderQuotesAndSpacing() throws {
        let a = try NPYArray.parse(npy(" { \"shape\" :(2 ,) ,'fortran_order':False,'descr':'<f4'}\n", f4([1, 2])), path: "f")
        #expect(a == NPYArray(shape: [2], values: [1, 2]))
        let b = try NPYArray.parse(npy("{'descr': '<u1', 'fortran_order': False, 'shape': (1, 2)}", [3, 4], version: 2), path: "f")
        #expect(b == NPYArray(shape: [1, 2], values: [3, 4]))
    }

    @Test func malformedFiles() {
        let ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"
        func error(_ bytes: [UInt8], _ problem: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: DataError("f", problem), sourceLocation: sourceLocation) { try NPYArray.parse(bytes, path: "f") }
        }
        error(npy(ok, [UInt8](repeating: 0, count: 40)), "truncated data: holds 40 bytes, shape [3, 4] × 4 bytes needs 48")
        error(npy(ok, [UInt8](repeating: 0, count: 50)), "2 bytes of trailing data after the array")
        error([0x93, 0x4e, 0x55], "too short for an NPY header (3 bytes)")
        error(Array("PK\u{3}\u{4}NUMPY\u{1}\u{0}".utf8), "not an NPY file (bad magic string)")
        error(NPYArray.magic + [4, 0, 0, 0, 0, 0], "unsupported NPY version 4.0")
        error(NPYArray.magic + [1, 1, 0, 0], "unsupported NPY version 1.1")
        error(NPYArray.magic + [2, 0, 0, 0], "truncated header length")
        error(NPYArray.magic + [1, 0, 0x70, 0] + Array(ok.utf8), "truncated header: HEADER_LEN is 112, file holds 59 bytes after it")
        error(NPYArray.magic + [2, 0, 0x11, 0x27, 0, 0], "header of 10001 bytes exceeds numpy's limit of 10000")
        error(npy("{'descr': '<f4', 'shape': (3,), }"), "header keys [\"descr\", \"shape\"] are not exactly descr, fortran_order, shape")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': True}"),
              "header keys [\"descr\", \"extra\", \"fortran_order\", \"shape\"] are not exactly descr, fortran_order, shape")
        error(npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}"), "malformed header: key 'descr' appears twice")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3)}"),
              "malformed header: expected ',' after the only element of a tuple at character 52, found ')'")
        error(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}"),
              "malformed header: expected a string, True, False or a tuple at character 34, found '0'")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,)}"),
              "malformed header: expected a non-negative integer at character 51, found '-'")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': [3]}"),
              "malformed header: expected a string, True, False or a tuple at character 50, found '['")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': ()} x"),
              "malformed header: expected only spaces after the dict at character 54, found 'x'")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': ()"),
              "malformed header: expected '}' at character 52, found the end")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
              "malformed header: dimension 99999999999999999999 is too large")
        error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"),
              "shape [4294967296, 4294967296] is too large")
        error(npy("{'descr': 'é', 'fortran_order': False, 'shape': ()}"), "malformed header: non-ASCII byte 0xc3")
        error(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': ()}"),
              "malformed header: expected a string, True, False or a tuple at character 10, found '['")
        error(npy("{'descr': 3, 'fortran_order': False, 'shape': ()}"),
              "malformed header: expected a string, True, False or a tuple at character 10, found '3'")
        error(npy("{'descr': True, 'fortran_order': False, 'shape': ()}"), "header 'descr' is not a string")
    }

    @Test func hostileShapesNeverAllocate() {
        // 2^40 float32 elements claimed, 8 bytes present: refused before any allocation.
        #expect(throws: DataError("f", "truncated data: holds 8 bytes, shape [1048576, 1048576] × 4 bytes needs 4398046511104")) {
            try NPYArray.parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576)}", f4([1, 2])), path: "f")
        }
        // Element count × item size overflowing Int, with every factor representable.
        #expect(throws: DataError("f", "shape [2305843009213693952] is too large")) {
            try NPYArray.parse(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}"), path: "f")
        }
        #expect(throws: DataError("f", "unsupported dtype '>f4' (supported: <f4, <f8, <i4, <i8, |u1, <u1, |b1)")) {
            try NPYArray.parse(npy("{'descr': '>f4', 'fortran_order': False, 'shape': ()}", f4([1])), path: "f")
        }
    }

    @Test func emptyInputsAndNonFiniteLabelsAreRefused() throws {
        let dir = try temporaryDirectory("npy-hostile")
        let x = dir + "/x.npy", y = dir + "/y.npy"
        try NPYArray.write(shape: [2, 0], values: [], to: x)
        try NPYArray.write(shape: [2], values: [0, 1], to: y)
        #expect(throws: DataError(x, "inputs of shape [2, 0] hold no values")) { try NPYDataset.load(inputs: x, labels: y) }
        try NPYArray.write(shape: [2, 1], values: [0, 1], to: x)
        try NPYArray.write(shape: [2], values: [0, .nan], to: y)
        #expect(throws: DataError(y, "label nan at index 1 is not a class index")) { try NPYDataset.load(inputs: x, labels: y) }
    }

    @Test func missingFileAndUnwritablePath() {
        #expect(throws: DataError("/nonexistent/a.npy", "no such file")) { try NPYArray.read("/nonexistent/a.npy") }
        #expect(throws: DataError.self) { try NPYArray.write(shape: [1], values: [1], to: "/nonexistent/a.npy") }
    }

    @Test func labelledDatasetFromTwoFiles() throws {
        let dir = try temporaryDirectory("npy-dataset")
        let x = dir + "/x.npy", y = dir + "/y.npy", yFloat = dir + "/yf.npy"
        try NPYArray.write(shape: [4, 2, 3], values: (0..<24).map(Float.init), to: x)
        _ = try Python.run("import sys, numpy as np; np.save(sys.argv[1], np.array([2, 0, 1, 2], dtype=np.int64))", [y])
        let data = try NPYDataset.load(inputs: x, labels: y)
        #expect(data.exampleShape == [2, 3] && data.count == 4 && data.classCount == 3)
        #expect(data.labels == [2, 0, 1, 2] && data.inputs == (0..<24).map(Float.init))
        #expect(try NPYDataset.load(inputs: x, labels: y, classCount: 10).classCount == 10)

        try NPYArray.write(shape: [4], values: [2, 0, 1.5, 2], to: yFloat)
        #expect(throws: DataError(yFloat, "label 1.5 at index 2 is not a class index")) { try NPYDataset.load(inputs: x, labels: yFloat) }
        try NPYArray.write(shape: [4], values: [2, 0, 1, 3], to: yFloat)
        #expect(try NPYDataset.load(inputs: x, labels: yFloat).labels == [2, 0, 1, 3])
        #expect(throws: DataError(yFloat, "label 3 at index 3 outside 0…2")) { try NPYDataset.load(inputs: x, labels: yFloat, classCount: 3) }
        try NPYArray.write(shape: [4, 1], values: [2, 0, 1, 3], to: yFloat)
        #expect(throws: DataError(yFloat, "labels of shape [4, 1] do not match 4 inputs (expected [4])")) {
            try NPYDataset.load(inputs: x, labels: yFloat)
        }
        try NPYArray.write(shape: [], values: [1], to: yFloat)
        #expect(throws: DataError(yFloat, "inputs must be [N, …], got a scalar")) { try NPYDataset.load(inputs: yFloat, labels: y) }
    }
}
