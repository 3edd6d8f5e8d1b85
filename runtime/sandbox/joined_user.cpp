#include "runtime/sandbox/joined_user.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/child_wait.h"
#include "common/unique_fd.h"

namespace edgeward::sandbox {
namespace {

// A helper process inside the user namespace, killed and reaped when done.
class Helper {
 public:
  explicit Helper(pid_t pid) : pid_(pid) {}
  Helper(const Helper&) = delete;
  Helper& operator=(const Helper&) = delete;
  ~Helper() {
    if (pid_ <= 0) return;
    kill_and_reap(pid_);
  }
  pid_t pid() const { return pid_; }
  // Waits for it to end: its exit code, or -1 (killed, or not ours). It is never signalled again
  // (its pid may be another process's by then).
  int reap() {
    int status = 0;
    const bool ended = wait_for_child(pid_, &status) == pid_;
    pid_ = -1;
    return ended && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_;
};

// In the helper (a raw fork: only system calls): enters the namespace, says so, and waits to be
// killed. Its exit status is the errno of a failed setns.
[[noreturn]] void enter_and_wait(int fd, int ready) {
  if (setns(fd, CLONE_NEWUSER) != 0) _exit(errno & 0xff);
  if (write(ready, "u", 1) != 1) _exit(EPIPE);
  for (;;) pause();
}

Error refuse(const std::string& path, const std::string& why) {
  return Error{ErrorCode::kPermission, "linux.namespaces: the user namespace " + path + " may not be joined: " + why};
}

// The maps of the user namespace behind `fd`, as host ids.
Result<IdMaps> maps_of(int fd, const std::string& path) {
  struct stat theirs {}, ours {};
  if (fstat(fd, &theirs) == 0 && stat("/proc/self/ns/user", &ours) == 0 && theirs.st_ino == ours.st_ino &&
      theirs.st_dev == ours.st_dev) {
    return read_id_maps(getpid());  // the caller's own (setns refuses to enter it again)
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Error::io(std::string("pipe2: ") + std::strerror(errno));
  UniqueFd ready_read(pipe_fds[0]), ready_write(pipe_fds[1]);
  const long pid = syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid < 0) return Error::io("linux.namespaces: cannot fork a helper into the user namespace " + path + ": " + std::strerror(errno));
  if (pid == 0) enter_and_wait(fd, ready_write.get());
  Helper helper(static_cast<pid_t>(pid));
  ready_write.reset();
  char byte = 0;
  if (read(ready_read.get(), &byte, 1) != 1) {
    const int code = helper.reap();  // the helper exits with setns' errno
    return Error::io("linux.namespaces: cannot enter the user namespace " + path + " (setns): " +
                     std::strerror(code > 0 ? code : EPIPE));
  }
  // Read from here (the host's user namespace): the ranges are host ids.
  return read_id_maps(helper.pid());
}

}  // namespace

Result<IdMaps> joinable_user_namespace(int fd, const std::string& path) {
  if (geteuid() != 0) return Error{ErrorCode::kPermission, "linux.namespaces: joining the user namespace " + path + " needs edgeward to run as root"};
  EW_ASSIGN(IdMaps maps, maps_of(fd, path));
  const std::string keep = "; join only a user namespace whose ids are all unprivileged host ids (e.g. another "
                           "container's), or leave the path out for a user namespace of the container's own";
  if (auto inside = maps.inside_uid(0)) {
    return refuse(path, "its uid_map maps uid " + std::to_string(*inside) + " to host uid 0 (host root)" + keep);
  }
  if (auto inside = maps.inside_gid(0)) {
    return refuse(path, "its gid_map maps gid " + std::to_string(*inside) + " to host gid 0 (host root)" + keep);
  }
  if (!maps.host_uid(0) || !maps.host_gid(0)) {
    return refuse(path, "it maps no uid 0 or no gid 0, and the container's file system is built as root of its user namespace");
  }
  return maps;
}

}  // namespace edgeward::sandbox
