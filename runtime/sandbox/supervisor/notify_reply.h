// How the seccomp-notify thread answers a notification: a value or errno, "run it as made", or
// a descriptor installed in the task as the call's result.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace edgeward::sandbox {

// Linux >= 6.6: the notifying task and the supervisor's thread hand the CPU to each other
// directly instead of going through the scheduler's wake-up path. True when the listener
// accepted the flag; older kernels keep ordinary wake-ups.
bool enable_sync_wake_up(int listener);

void send_result(int listener, uint64_t id, int64_t value, int err);

// The kernel performs the call as the task made it. Only for calls whose decision depends on
// no argument in the task's memory (registers cannot change while the task waits).
void run_as_is(int listener, uint64_t id);

// Installs `fd` in the task `tid` (the thread blocked in notification `id`) and makes its
// number the call's result. `same_cpu` (only with sync wake-ups, which imply Linux >= 6.6 and so
// a filter with WAIT_KILLABLE_RECV): the fast path described in notify_reply.cpp; otherwise one
// atomic ADDFD + SEND.
void send_fd(int listener, uint64_t id, pid_t tid, int fd, bool cloexec, bool same_cpu);

}  // namespace edgeward::sandbox
