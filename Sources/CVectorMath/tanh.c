// tanh as a rational function of x (numerator odd, degree 13; denominator even, degree 6),
// the published minimax coefficients of Eigen's fast float tanh, evaluated by Horner's rule
// with explicit fused multiply-adds.
#include "vector_math.h"
#include "dispatch.h"

#pragma clang fp contract(off)
// The vector helpers are always inlined into a body compiled for one target, so no vector
// argument crosses a call between code built for different targets; clang's ABI note about
// passing them without AVX does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

typedef int plab_int8 __attribute__((ext_vector_type(8)));

static const float clampAt = 7.99881172180175781f, tiny = 0.0004f;
static const float alpha1 = 4.89352455891786e-03f, alpha3 = 6.37261928875436e-04f,
    alpha5 = 1.48572235717979e-05f, alpha7 = 5.12229709037114e-08f,
    alpha9 = -8.60467152213735e-11f, alpha11 = 2.00018790482477e-13f,
    alpha13 = -2.76076847742355e-16f;
static const float beta0 = 4.89352518554385e-03f, beta2 = 2.26843463243900e-03f,
    beta4 = 1.18534705686654e-04f, beta6 = 1.19825839466702e-06f;

/// Lane-wise `mask ? a : b` for a comparison mask (all ones or all zeros per lane).
PLAB_BODY plab_float8 select8(plab_int8 mask, plab_float8 a, plab_float8 b) {
    return (plab_float8)((mask & (plab_int8)a) | (~mask & (plab_int8)b));
}

PLAB_BODY plab_float8 tanh8(plab_float8 x) {
    plab_float8 a = __builtin_elementwise_min(__builtin_elementwise_max(x, (plab_float8)-clampAt), (plab_float8)clampAt);
    plab_float8 s = a * a;
    plab_float8 p = __builtin_elementwise_fma(s, (plab_float8)alpha13, (plab_float8)alpha11);
    p = __builtin_elementwise_fma(s, p, (plab_float8)alpha9);
    p = __builtin_elementwise_fma(s, p, (plab_float8)alpha7);
    p = __builtin_elementwise_fma(s, p, (plab_float8)alpha5);
    p = __builtin_elementwise_fma(s, p, (plab_float8)alpha3);
    p = __builtin_elementwise_fma(s, p, (plab_float8)alpha1);
    plab_float8 q = __builtin_elementwise_fma(s, (plab_float8)beta6, (plab_float8)beta4);
    q = __builtin_elementwise_fma(s, q, (plab_float8)beta2);
    q = __builtin_elementwise_fma(s, q, (plab_float8)beta0);
    plab_float8 t = __builtin_elementwise_min(__builtin_elementwise_max(a * p / q, (plab_float8)-1.0f), (plab_float8)1.0f);
    t = select8(__builtin_elementwise_abs(x) < tiny, x, t);
    return select8(x != x, x, t);
}

PLAB_BODY void tanh_body(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        plab_float8 v;
        __builtin_memcpy(&v, x + i, sizeof v);
        v = tanh8(v);
        __builtin_memcpy(y + i, &v, sizeof v);
    }
    if (i < n) {
        plab_float8 v = 0;
        __builtin_memcpy(&v, x + i, (unsigned long)(n - i) * sizeof(float));
        v = tanh8(v);
        __builtin_memcpy(y + i, &v, (unsigned long)(n - i) * sizeof(float));
    }
}

PLAB_WIDE static void tanh_wide(const float *x, float *y, long n) { tanh_body(x, y, n); }
void plab_tanh_baseline(const float *x, float *y, long n) { tanh_body(x, y, n); }

void plab_tanh(const float *x, float *y, long n) { PLAB_DISPATCH(tanh_wide, plab_tanh_baseline, x, y, n); }
