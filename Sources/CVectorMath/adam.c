// One Adam step over a flat parameter buffer. Division and square root dominate; eight
// lanes per instruction under AVX2 halve their cost against baseline SSE.
#include "vector_math.h"
#include "dispatch.h"

#pragma clang fp contract(off)

PLAB_BODY void adam_body(float *theta, const float *grad, float *m, float *v, long n,
                         plab_adam_constants c) {
    const float b1 = c.beta1, b2 = c.beta2, rest1 = 1.0f - c.beta1, rest2 = 1.0f - c.beta2;
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        plab_float8 th, g, mi, vi;
        __builtin_memcpy(&th, theta + i, sizeof th);
        __builtin_memcpy(&g, grad + i, sizeof g);
        __builtin_memcpy(&mi, m + i, sizeof mi);
        __builtin_memcpy(&vi, v + i, sizeof vi);
        g = g + c.coupled_decay * th;
        mi = b1 * mi + rest1 * g;
        vi = b2 * vi + rest2 * g * g;
        th = th * c.decay - c.step_size * mi / (__builtin_elementwise_sqrt(vi) * c.inverse_sqrt_correction2 + c.epsilon);
        __builtin_memcpy(m + i, &mi, sizeof mi);
        __builtin_memcpy(v + i, &vi, sizeof vi);
        __builtin_memcpy(theta + i, &th, sizeof th);
    }
    for (; i < n; i++) {
        float g = grad[i] + c.coupled_decay * theta[i];
        float mi = b1 * m[i] + rest1 * g;
        float vi = b2 * v[i] + rest2 * g * g;
        m[i] = mi;
        v[i] = vi;
        theta[i] = theta[i] * c.decay - c.step_size * mi / (__builtin_sqrtf(vi) * c.inverse_sqrt_correction2 + c.epsilon);
    }
}

PLAB_WIDE static void adam_wide(float *theta, const float *grad, float *m, float *v, long n,
                              plab_adam_constants c) {
    adam_body(theta, grad, m, v, n, c);
}

void plab_adam_baseline(float *theta, const float *grad, float *m, float *v, long n,
                        plab_adam_constants c) {
    adam_body(theta, grad, m, v, n, c);
}

void plab_adam(float *theta, const float *grad, float *m, float *v, long n, plab_adam_constants c) {
    PLAB_DISPATCH(adam_wide, plab_adam_baseline, theta, grad, m, v, n, c);
}
