#ifndef SPAWN_SHIM_H
#define SPAWN_SHIM_H
#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start (GNU, not visible to Swift).
int spawn_shim_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np(actions, from) (glibc 2.34+; GNU, not visible to
/// Swift): the child closes every descriptor >= from before exec.
int spawn_shim_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#endif
