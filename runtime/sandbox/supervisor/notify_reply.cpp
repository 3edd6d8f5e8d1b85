#include "runtime/sandbox/supervisor/notify_reply.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>

#include <cerrno>

namespace edgeward::sandbox {
namespace {

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

// Confines the task `tid` and the calling thread to the caller's current CPU until destroyed,
// then gives both their masks back. A task whose mask excludes this CPU (or allows only one)
// is left alone.
class OnThisCpu {
 public:
  explicit OnThisCpu(pid_t tid) : task_(tid) {
    const int cpu = sched_getcpu();
    if (cpu < 0 || sched_getaffinity(0, sizeof own_, &own_) != 0 ||
        sched_getaffinity(tid, sizeof task_mask_, &task_mask_) != 0 || !CPU_ISSET(cpu, &task_mask_) ||
        CPU_COUNT(&task_mask_) < 2) {
      return;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pinned_ = sched_setaffinity(tid, sizeof one, &one) == 0;
    if (pinned_) (void)sched_setaffinity(0, sizeof one, &one);
  }
  ~OnThisCpu() {
    if (!pinned_) return;
    (void)sched_setaffinity(task_, sizeof task_mask_, &task_mask_);
    (void)sched_setaffinity(0, sizeof own_, &own_);
  }
  OnThisCpu(const OnThisCpu&) = delete;
  OnThisCpu& operator=(const OnThisCpu&) = delete;

 private:
  pid_t task_;
  cpu_set_t own_{}, task_mask_{};
  bool pinned_ = false;
};

int add_fd(int listener, uint64_t id, int fd, bool cloexec, uint32_t flags) {
  seccomp_notif_addfd add{};
  add.id = id;
  add.flags = flags;
  add.srcfd = static_cast<uint32_t>(fd);
  add.newfd_flags = cloexec ? O_CLOEXEC : 0;
  return ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
}

}  // namespace

bool enable_sync_wake_up(int listener) {
  return ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
}

void send_result(int listener, uint64_t id, int64_t value, int err) {
  seccomp_notif_resp resp{};
  resp.id = id;
  resp.val = err ? 0 : value;
  resp.error = err ? -err : 0;
  (void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);  // ENOENT: the task is gone
}

void run_as_is(int listener, uint64_t id) {
  seccomp_notif_resp resp{};
  resp.id = id;
  resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  (void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

// NOTIF_ADDFD wakes the task with an ordinary wake-up while this thread still runs on the
// task's CPU (the sync wake-up brought it there), so the scheduler starts the task on an idle
// CPU; this thread then sleeps until the task installed the descriptor and is itself woken on
// an idle CPU: two wake-ups of idle CPUs (IPIs, on a VM host exits, ~30 µs each here), on the
// task's path. The fast path: for the ADDFD alone both may run only on this CPU, so each
// wake-up is a direct switch; the descriptor is installed without the reply (the task keeps
// waiting, killable only: WAIT_KILLABLE_RECV, so it cannot leave the call with a descriptor it
// does not know about); both CPU masks are restored while the task still waits, so it never
// runs with a mask it did not choose; then the reply (the descriptor's number) wakes it with a
// sync wake-up. open + close: 75 -> ~11 µs on an idle machine (docs/benchmarks.md).
void send_fd(int listener, uint64_t id, pid_t tid, int fd, bool cloexec, bool same_cpu) {
  if (!same_cpu) {
    if (add_fd(listener, id, fd, cloexec, SECCOMP_ADDFD_FLAG_SEND) < 0 && errno != ENOENT) send_result(listener, id, 0, errno);
    return;
  }
  int installed = -1;
  {
    const OnThisCpu pin(tid);
    installed = add_fd(listener, id, fd, cloexec, 0);
  }
  if (installed >= 0) return send_result(listener, id, installed, 0);
  if (errno != ENOENT) send_result(listener, id, 0, errno);
}

}  // namespace edgeward::sandbox
