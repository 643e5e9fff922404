#define _GNU_SOURCE
#include "spawn_shim.h"
#include <fcntl.h>
#include <unistd.h>

int spawn_shim_pipe_cloexec(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

int spawn_shim_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
#ifdef __linux__
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
#else
    (void)actions; (void)from;
    return 0;
#endif
}
