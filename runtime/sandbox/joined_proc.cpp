#include "runtime/sandbox/joined_proc.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "common/child_wait.h"
#include "runtime/sandbox/idmap_mount.h"

namespace edgeward::sandbox {
namespace {

// In the helper (a raw fork: only system calls): the proc instance of its own pid namespace,
// sent; or its exit status is the errno of the step that failed.
[[noreturn]] void make_and_send(int sock) {
  const int fs = static_cast<int>(syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC));
  if (fs < 0 || syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) _exit(errno & 0xff);
  const int mnt = static_cast<int>(
      syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
  if (mnt < 0) _exit(errno & 0xff);
  _exit(send_go(sock, mnt) ? 0 : EPIPE);
}

}  // namespace

Result<UniqueFd> proc_of_joined_pid_namespace() {
  const std::string what = "linux.namespaces: cannot make a /proc for the joined pid namespace";
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return Error::io(what + " (socketpair): " + std::strerror(errno));
  UniqueFd ours(pair[0]), theirs(pair[1]);
  // Its own process in the joined namespace: a proc instance is of its maker's pid namespace.
  const long pid = syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid < 0) return Error::io(what + " (fork a helper into it): " + std::strerror(errno));
  if (pid == 0) make_and_send(theirs.get());
  theirs.reset();
  const int fd = receive_go(ours.get());
  UniqueFd mnt(fd >= 0 ? fd : -1);
  int status = 0;
  wait_for_child(static_cast<pid_t>(pid), &status);
  if (mnt.valid()) return mnt;
  const int err = WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : EPIPE;
  return Error::io(what + " (fsopen/fsconfig/fsmount of a proc instance inside it): " + std::strerror(err) +
                   "; edgeward must run as root for that, on Linux 5.2 or later");
}

}  // namespace edgeward::sandbox
