#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include "allocation_counter.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_long process_allocations;
static atomic_int counting_process;
static _Thread_local long thread_allocations;
static _Thread_local int counting_thread;

static inline void count_one(void) {
    if (counting_thread) thread_allocations += 1;
    if (atomic_load_explicit(&counting_process, memory_order_relaxed))
        atomic_fetch_add_explicit(&process_allocations, 1, memory_order_relaxed);
}

void *malloc(size_t size) { count_one(); return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { count_one(); return __libc_calloc(count, size); }
void *realloc(void *pointer, size_t size) { count_one(); return __libc_realloc(pointer, size); }
void *aligned_alloc(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
void *memalign(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    count_one();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *out = pointer;
    return 0;
}

void plab_allocations_start_process(void) {
    atomic_store(&process_allocations, 0);
    atomic_store(&counting_process, 1);
}

long plab_allocations_stop_process(void) {
    atomic_store(&counting_process, 0);
    return atomic_load(&process_allocations);
}

void plab_allocations_start_thread(void) {
    thread_allocations = 0;
    counting_thread = 1;
}

long plab_allocations_stop_thread(void) {
    counting_thread = 0;
    return thread_allocations;
}
