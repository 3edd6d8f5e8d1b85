// How one task of the sandbox sees the file system: its cwd and descriptors as paths inside
// the sandbox, and the canonical form (no symlinks, ".", ".." or "//") of a path it passes, as
// the kernel would resolve it inside its root. Used by the ptrace supervisor (tracee.h) and by
// the seccomp-notify thread (notifier.h) alike; nothing here reads the task's memory.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace edgeward::sandbox {

constexpr size_t kMaxPath = 4095;

class TaskPaths {
 public:
  // `root_fd`: an O_PATH descriptor of the task's root (borrowed, not closed here).
  TaskPaths(pid_t tid, int root_fd) : tid_(tid), root_fd_(root_fd) {}

  pid_t tid() const { return tid_; }
  int root_fd() const { return root_fd_; }

  // The absolute path, inside the task's root, of its cwd (dirfd = AT_FDCWD) or of `dirfd`.
  Result<std::string> dir_path(int dirfd) const;

  // `path` relative to `dirfd` made absolute, "//" and "/./" collapsed, /proc/self and
  // /proc/thread-self turned into the task's own ids (the supervisor is outside its pid
  // namespace) and /proc/<self>/exe into the program's path. No symlink is resolved.
  Result<std::string> absolute(int dirfd, const std::string& path, bool follow_last);

  // Canonical path of `path` relative to `dirfd` inside the task's root; when !follow_last a
  // final symlink is not followed. Errors carry the errno the kernel would give (errno_of()).
  Result<std::string> canonical(int dirfd, const std::string& path, bool follow_last);

 private:
  Result<std::string> canonical_abs(std::string abs, bool follow_last);
  pid_t tid_;
  int root_fd_;
  std::string ns_tgid_, ns_tid_;  // ids inside the sandbox's pid namespace, read on first use
};

// Errors from path resolution carry an errno to report to the workload.
Error errno_error(int err, const std::string& what);
int errno_of(const Error& e);

// True when `p` is `dir` or below it (whole components).
bool has_prefix_dir(const std::string& p, const std::string& dir);

}  // namespace edgeward::sandbox
