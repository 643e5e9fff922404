import Testing
@testable import Tensors

/// Shapes, indexing, views and resizing.
@Suite struct TensorTests {
    @Test func shapes() {
        let s = Shape(2, 3, 4)
        #expect(s.count == 3 && s.elementCount == 24 && s.trailingCount == 12)
        #expect(s == [2, 3, 4] && s.dimensions == [2, 3, 4] && s.description == "[2, 3, 4]")
        #expect(Shape([]).elementCount == 1 && Shape([]).count == 0)
        #expect(Shape(2, 3) != Shape(3, 2))
    }

    @Test func indexingIsRowMajor() {
        let t = Tensor(shape: Shape(2, 3), values: [1, 2, 3, 4, 5, 6])
        #expect(t[1, 0] == 4 && t[0, 2] == 3)
        t[1, 2] = 9
        #expect(t.values == [1, 2, 3, 4, 5, 9])
    }

    @Test func viewsShareMemory() {
        let t = Tensor(shape: Shape(2, 3), values: [1, 2, 3, 4, 5, 6])
        let v = Tensor(viewing: t, as: Shape(6))
        v.data[0] = 7
        #expect(t[0, 0] == 7 && v.isView && !t.isView)
    }

    @Test func resizeReusesMemoryWhenItFits() {
        let t = Tensor(shape: Shape(4, 4))
        let before = t.data
        #expect(!t.resize(to: Shape(2, 8)) && t.data == before && t.count == 16)
        #expect(!t.resize(to: Shape(3)) && t.data == before)
        #expect(t.resize(to: Shape(5, 5)) && t.count == 25)
    }

    @Test func copyIsDeep() {
        let t = Tensor(shape: Shape(2), values: [1, 2])
        let c = t.copy()
        c.data[0] = 5
        #expect(t.values == [1, 2] && c.values == [5, 2])
    }
}
