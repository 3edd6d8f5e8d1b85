#include "runtime/sandbox/supervisor/notifier.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "runtime/sandbox/arch/arch.h"
#include "runtime/sandbox/policy_parser.h"
#include "runtime/sandbox/supervisor/handler_table.h"
#include "runtime/sandbox/supervisor/notify_reply.h"

namespace edgeward::sandbox {
namespace {

constexpr int kMaxFifoWaiters = 16;

std::atomic<int> g_fifo_waiters{0};

// This thread only: the workload's host file-system ids and groups (identity.h), no
// capabilities (files are opened with the workload's rights: same uid, gid and groups, no DAC
// override) and a file-system context of its own with umask 0. Its real ids stay the
// supervisor's, which owns the sandbox's user namespace: reading and writing the tasks' memory
// (process_vm_readv) keeps working. Raw calls: the C library's wrappers would change every
// thread of the supervisor.
bool drop_thread_privileges(const Identity& id, const IdMaps& maps) {
  if (unshare(CLONE_FS) != 0) return false;
  umask(0);
  if (maps.privileged) {
    const std::vector<gid_t> groups = host_groups(id, maps);
    const uid_t uid = host_uid(id, maps);
    const gid_t gid = host_gid(id, maps);
    syscall(SYS_setfsgid, gid);
    syscall(SYS_setfsuid, uid);  // returns the previous fsuid; checked below
    if (syscall(SYS_setgroups, groups.size(), groups.data()) != 0 || syscall(SYS_setfsuid, -1) != static_cast<long>(uid) ||
        syscall(SYS_setfsgid, -1) != static_cast<long>(gid) || uid == 0) {
      return false;
    }
  }
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  return syscall(SYS_capset, &hdr, data) == 0;
}

}  // namespace

Notifier::Notifier(UniqueFd listener, UniqueFd root, const Policy& policy, Report& report, const Identity& identity,
                   const IdMaps& maps)
    : shared_(std::make_shared<Shared>(Shared{std::move(listener), std::move(root)})), policy_(policy),
      report_(report), identity_(identity), maps_(maps), by_nr_(index_by_number(notify_entries())) {}

Notifier::~Notifier() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    if (write(stop_.get(), &one, sizeof one) != sizeof one) {
    }
    thread_.join();
  }
}

Status Notifier::start() {
  stop_.reset(eventfd(0, EFD_CLOEXEC));
  if (!stop_.valid()) return Error::io(std::string("eventfd: ") + std::strerror(errno));
  thread_ = std::thread([this] { loop(); });
  return {};
}

Result<std::pair<UniqueFd, UniqueFd>> Notifier::take_listener(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  int number = -1;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      char target[64] = {};
      const std::string link = dir + "/" + e->d_name;
      if (readlink(link.c_str(), target, sizeof target - 1) > 0 && std::strcmp(target, "anon_inode:seccomp notify") == 0) {
        number = std::atoi(e->d_name);
      }
    }
    closedir(d);
  }
  if (number < 0) return Error::unsupported("the sandbox's filter has no notification listener (ptrace only)");
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) return Error::io(std::string("pidfd_open of the sandbox: ") + std::strerror(errno));
  UniqueFd listener(static_cast<int>(syscall(SYS_pidfd_getfd, pidfd.get(), number, 0)));
  if (!listener.valid()) return Error::io(std::string("pidfd_getfd of the seccomp listener: ") + std::strerror(errno));
  const std::string root_path = "/proc/" + std::to_string(pid) + "/root";
  UniqueFd root(open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) return Error::io("open " + root_path + ": " + std::strerror(errno));
  return std::pair{std::move(listener), std::move(root)};
}

void Notifier::loop() {
  policy_.namespaced_sysctls = keep_entered(policy_.namespaced_sysctls, namespaces_.enter());
  const bool confined = drop_thread_privileges(identity_, maps_);
  const int listener = shared_->listener.get();
  sync_wake_up_ = enable_sync_wake_up(listener);
  pollfd fds[2] = {{listener, POLLIN, 0}, {stop_.get(), POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (fds[0].revents & POLLIN) {
      seccomp_notif req{};
      if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) continue;  // ENOENT: the task died meanwhile
      if (!confined) {  // never open files with the supervisor's privileges
        send_result(listener, req.id, 0, EPERM);
        continue;
      }
      answer(req);
    } else if (fds[0].revents & (POLLHUP | POLLERR)) {
      return;  // no task uses the filter any more
    }
  }
}

void Notifier::answer(seccomp_notif& req) {
  const int listener = shared_->listener.get();
  auto it = by_nr_.find(req.data.nr);
  if (it == by_nr_.end() || req.data.arch != arch::kAuditArch) {  // cannot happen with our filter
    report_.denial({static_cast<pid_t>(req.pid), "syscall " + std::to_string(req.data.nr), "no notify handler", "ENOSYS"});
    return send_result(listener, req.id, 0, ENOSYS);
  }
  report_.inspected(true);
  NotifyCall call(req, listener, shared_->root.get(), policy_);
  call.ids = &maps_;
  Answer a = it->second->handle(call);
  if (!a.denied.empty()) {
    report_.denial({static_cast<pid_t>(req.pid), std::string(it->second->name), a.denied, errno_name(a.err)});
  }
  if (a.fifo_wait) return wait_for_fifo(req.id, std::move(a));
  // req.pid is the thread blocked in the call.
  if (a.fd.valid()) return send_fd(listener, req.id, static_cast<pid_t>(req.pid), a.fd.get(), a.cloexec, sync_wake_up_);
  if (a.run_as_is) return run_as_is(listener, req.id);
  send_result(listener, req.id, a.value, a.err);
}

// A blocking open of a FIFO waits for the other end; a helper thread (with this thread's
// credentials and umask) does the waiting. At most kMaxFifoWaiters wait at once; beyond that
// the open fails with EAGAIN.
void Notifier::wait_for_fifo(uint64_t id, Answer a) {
  const int listener = shared_->listener.get();
  if (g_fifo_waiters.fetch_add(1) >= kMaxFifoWaiters) {
    g_fifo_waiters.fetch_sub(1);
    return send_result(listener, id, 0, EAGAIN);
  }
  std::thread([shared = shared_, id, a = std::move(a)] {
    open_how how{};
    how.flags = a.fifo_flags;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    UniqueFd fd(static_cast<int>(syscall(SYS_openat2, shared->root.get(), a.fifo_path.c_str(), &how, sizeof how)));
    if (fd.valid()) {
      send_fd(shared->listener.get(), id, 0, fd.get(), a.cloexec, false);
    } else {
      send_result(shared->listener.get(), id, 0, errno);
    }
    g_fifo_waiters.fetch_sub(1);
  }).detach();
}

}  // namespace edgeward::sandbox
