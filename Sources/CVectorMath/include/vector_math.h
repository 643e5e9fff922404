// Buffer kernels whose lane-wise math Swift's SIMD types compute only as wide as the
// baseline instruction set allows.
//
// The kernels (plab_tanh, plab_adam) are compiled twice, for baseline x86-64 and for
// AVX2 + FMA, and pick the variant per call from the CPU's features. Both variants perform
// the same IEEE operations in the same order (fused multiply-adds are written out, never
// contracted by the compiler), so they give bit-identical results; the AVX2 one is faster.
#ifndef PLAB_VECTOR_MATH_H
#define PLAB_VECTOR_MATH_H

typedef float plab_float8 __attribute__((ext_vector_type(8)));

/// y[i] = tanh(x[i]) for i < n. A [13/6] rational approximation on x clamped to ±7.998,
/// evaluated with fused multiply-adds; x itself for |x| < 0.0004; the result clamped to ±1;
/// NaN stays NaN. Error ≤ 3e-7 relative (tested against libm over [−12, 12]).
void plab_tanh(const float *x, float *y, long n);
/// plab_tanh's baseline variant, for tests that compare the two.
void plab_tanh_baseline(const float *x, float *y, long n);

/// The constants of one Adam step (see plab_adam).
typedef struct {
    float beta1, beta2, epsilon;
    /// lr / (1 − β₁ᵗ).
    float step_size;
    /// 1 / √(1 − β₂ᵗ).
    float inverse_sqrt_correction2;
    /// 1 − lr·λ for decoupled weight decay (AdamW), else 1.
    float decay;
    /// λ for L2 weight decay coupled into the gradient (Adam), else 0.
    float coupled_decay;
} plab_adam_constants;

/// One Adam step over n parameters, in place:
/// g = grad + coupled·θ; m = β₁m + (1 − β₁)g; v = β₂v + ((1 − β₂)g)g;
/// θ = θ·decay − (step_size·m) / (√v · inverse_sqrt_correction2 + ε).
void plab_adam(float *theta, const float *grad, float *m, float *v, long n, plab_adam_constants c);
/// plab_adam's baseline variant, for tests that compare the two.
void plab_adam_baseline(float *theta, const float *grad, float *m, float *v, long n, plab_adam_constants c);

#endif
