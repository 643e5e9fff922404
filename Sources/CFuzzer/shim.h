// libFuzzer's entry point for programs with their own main (compiler-rt FuzzerDriver.cpp);
// only referenced when PlasticityFuzz is built with -sanitize=fuzzer -DFUZZING.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
