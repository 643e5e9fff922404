// Compiles a kernel body twice on x86-64 (baseline and AVX2 + FMA) and chooses per call.
#ifndef PLAB_DISPATCH_H
#define PLAB_DISPATCH_H

#if defined(__x86_64__)
#define PLAB_WIDE __attribute__((target("avx2,fma")))
/// True when this CPU runs the AVX2 + FMA variant.
static inline int plab_cpu_has_avx2_fma(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#define PLAB_DISPATCH(wide, baseline, ...) \
    do { if (plab_cpu_has_avx2_fma()) wide(__VA_ARGS__); else baseline(__VA_ARGS__); } while (0)
#else
#define PLAB_WIDE
#define PLAB_DISPATCH(wide, baseline, ...) baseline(__VA_ARGS__)
#endif

#define PLAB_BODY static inline __attribute__((always_inline))

#endif
