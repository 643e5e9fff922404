// Lane-wise math on eight Floats that Swift's generic SIMD types compute one lane at a time.
// Header-only: `ext_vector_type(8)` float is imported as SIMD8<Float>, and each function
// compiles to one vector instruction (sqrtps) inlined into the Swift loop that calls it.
typedef float plab_float8 __attribute__((ext_vector_type(8)));

/// IEEE square root of each lane (correctly rounded, as Float.squareRoot()).
static inline plab_float8 plab_sqrt8(plab_float8 x) { return __builtin_elementwise_sqrt(x); }
