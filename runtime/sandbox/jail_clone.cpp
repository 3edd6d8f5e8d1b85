#include "runtime/sandbox/jail_clone.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/child_wait.h"
#include "runtime/sandbox/joined_proc.h"

namespace edgeward::sandbox {
namespace {

Error clone_error(int err) {
  return Error::unsupported(std::string("cannot create the sandbox's namespaces (clone): ") + std::strerror(err) +
                            ". Unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone"
                            " / user.max_user_namespaces).");
}

// The helper for a joined user or mount namespace: enters the joined namespaces (the mount one
// after the others, the user one last: from there it has no privilege over the host's), clones
// the jail as its parent's child and reports its pid (or -errno) on `report`. The helper was
// forked before the caller entered anything, so it is in the caller's pid namespace and the pid
// it reports is the caller's view.
[[noreturn]] void spawn_in_helper(int flags, NamespaceJoin& join, const JailSpec& spec, int report) {
  long pid = -EPERM;
  if (!join.enter()) {
    pid = -errno;
  } else if (join.mount_fd() >= 0 && setns(join.mount_fd(), CLONE_NEWNS) != 0) {
    pid = -errno;
  } else if (join.user_fd() >= 0 && setns(join.user_fd(), CLONE_NEWUSER) != 0) {
    pid = -errno;
  } else {
    pid = syscall(SYS_clone, flags | CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid == 0) jail_main(spec);
    if (pid < 0) pid = -errno;
  }
  _exit(write(report, &pid, sizeof pid) == sizeof pid ? 0 : 1);
}

Result<pid_t> clone_in_helper(int flags, NamespaceJoin& join, const JailSpec& spec) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Error::io(std::string("pipe2: ") + std::strerror(errno));
  UniqueFd report_read(fds[0]), report_write(fds[1]);
  const long helper = syscall(SYS_clone, (flags & CLONE_PARENT) | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (helper < 0) return clone_error(errno);
  if (helper == 0) spawn_in_helper(flags & ~CLONE_PARENT, join, spec, report_write.get());
  report_write.reset();
  long pid = -EPIPE;
  if (read(report_read.get(), &pid, sizeof pid) != sizeof pid) pid = -EPIPE;
  if (!(flags & CLONE_PARENT)) {  // ours to reap (else the caller's parent's, as the jail)
    wait_for_child(static_cast<pid_t>(helper));
  }
  if (pid < 0) {
    return Error::io("linux.namespaces: cannot enter the joined namespaces and clone the sandbox there: " +
                     std::string(std::strerror(static_cast<int>(-pid))));
  }
  return static_cast<pid_t>(pid);
}

}  // namespace

Result<pid_t> clone_jail(int flags, NamespaceJoin& join, JailSpec& spec, UniqueFd& proc) {
  if (spec.joined_pid) {
    EW_TRY(join.enter());
    auto made = proc_of_joined_pid_namespace();
    join.leave();
    if (!made) return std::move(made).error();
    proc = std::move(made).value();
    spec.proc_fd = proc.get();
  }
  if (join.user_fd() >= 0 || join.mount_fd() >= 0) return clone_in_helper(flags, join, spec);
  EW_TRY(join.enter());
  const long pid = syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid == 0) jail_main(spec);
  const int err = errno;
  join.leave();
  if (pid < 0) return clone_error(err);
  return static_cast<pid_t>(pid);
}

}  // namespace edgeward::sandbox
