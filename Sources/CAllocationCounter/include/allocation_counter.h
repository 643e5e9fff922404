// Counts heap allocations, for `plasticity bench` and the allocation tests.
//
// The executable that links this target defines malloc, calloc, realloc, posix_memalign,
// aligned_alloc and memalign itself; being first in the dynamic symbol lookup, these serve
// every library in the process (Swift runtime, Foundation, OpenBLAS). Each forwards to
// glibc's allocator unchanged (__libc_malloc, ...) and adds one to the active counters.
// free is not replaced. Cost when not counting: one thread-local and one relaxed atomic load
// per allocation.
#ifndef PLAB_ALLOCATION_COUNTER_H
#define PLAB_ALLOCATION_COUNTER_H

/// Resets the process-wide counter and counts allocations on every thread.
void plab_allocations_start_process(void);
/// Stops the process-wide count and returns it.
long plab_allocations_stop_process(void);
/// Resets this thread's counter and counts allocations made on this thread only.
void plab_allocations_start_thread(void);
/// Stops this thread's count and returns it.
long plab_allocations_stop_thread(void);

#endif
