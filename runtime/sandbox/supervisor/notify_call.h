// One seccomp user notification as its handler sees it: the stopped call's registers, the
// task's paths (task_paths.h), and its memory read and written with process_vm_readv/writev,
// each access confirmed afterwards with SECCOMP_IOCTL_NOTIF_ID_VALID (the task was still
// blocked in this very call, so the pid still named it). Handlers return an Answer: a value,
// an errno, or a descriptor the supervisor opened to be installed as the call's result.
#pragma once

#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <sys/stat.h>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/sandbox/identity.h"
#include "runtime/sandbox/policy.h"
#include "runtime/sandbox/supervisor/task_paths.h"

namespace edgeward::sandbox {

class NotifyCall {
 public:
  NotifyCall(const seccomp_notif& req, int listener, int root_fd, const Policy& policy)
      : req(req), policy(policy), paths(static_cast<pid_t>(req.pid), root_fd), listener_(listener) {}

  const seccomp_notif& req;
  const Policy& policy;
  TaskPaths paths;
  const IdMaps* ids = nullptr;  // the sandbox's id mapping (identity.h): stat and chown ids are translated

  uint64_t arg(int i) const { return req.data.args[i]; }
  int dirfd_arg(int i) const { return i < 0 ? -100 /* AT_FDCWD */ : static_cast<int>(static_cast<int32_t>(arg(i))); }

  // The notification is still pending (the task did not die or leave the call).
  bool valid() const;
  // A NUL-terminated string (at most kMaxPath bytes) read once from the task.
  Result<std::string> read_string(uint64_t addr) const;
  // Writes into the task's memory as the kernel would (page protections apply: EFAULT).
  Status write(uint64_t addr, const void* data, size_t len) const;
  // `len` bytes read once from the task (e.g. a struct the call takes).
  Status read(uint64_t addr, void* out, size_t len) const;
  // The task's umask (the notification thread's own is 0).
  mode_t umask() const;

 private:
  int listener_;
};

struct Answer {
  int64_t value = 0;
  int err = 0;              // != 0: the call fails with this errno
  UniqueFd fd;              // valid: installed in the task as the call's result
  bool cloexec = false;     // for `fd`
  std::string denied;       // non-empty: a policy denial, reported with this detail
  bool run_as_is = false;   // the kernel runs the call itself (only when no argument in memory matters)
  bool fifo_wait = false;   // a blocking FIFO open: answered from a helper thread
  std::string fifo_path;    // canonical path of that FIFO
  uint64_t fifo_flags = 0;
};

using NotifyHandler = Answer (*)(NotifyCall&);

struct NotifyEntry {
  std::string_view name;  // libseccomp syscall name
  NotifyHandler handle;
};

// Calls answered through seccomp user notification (when the kernel offers it).
std::span<const NotifyEntry> notify_entries();
bool has_notify_handler(std::string_view name);

// The three families, joined by notify_entries().
namespace notify_open_stat {
std::span<const NotifyEntry> entries();  // notify_calls.cpp
}
namespace notify_names {
std::span<const NotifyEntry> entries();  // notify_names.cpp: mkdir, unlink, rmdir, rename, link, symlink, mknod
}
namespace notify_attrs {
std::span<const NotifyEntry> entries();  // notify_attrs.cpp: chmod, chown, truncate, utimensat, statfs
}

// Shared by the handlers.
Answer answer_error(int err);
Answer answer_denied(int err, std::string detail);
// The answer for a call the supervisor made: success for 0, else the errno it left.
Answer answer_result(int rc);
// The /proc/self/fd link of one of the supervisor's descriptors: opening or changing it reaches
// exactly the descriptor's object (how an O_PATH descriptor is chmod'ed, reopened or linked).
std::string magic_link(int fd);
// `path` is canonical: opened with RESOLVE_IN_ROOT and no symlink or magic link allowed.
int open_in_root(int root, const std::string& path, int flags, mode_t mode = 0);
int open_in_root(int root, const std::string& path, const open_how& how);
// The object a path names (relative to the task's `dirfd`), checked against the policy for
// reading or writing and opened in the task's root with `how` (whose resolve flags forbid every
// symlink: the path opened is the canonical one checked). `canonical_out` gets the checked path
// as soon as the policy allowed it (also when the open then fails: a file to create);
// `denied` is filled when the policy refused it.
Result<int> open_checked(NotifyCall& c, int dirfd, const std::string& raw, bool follow, bool write, bool creates,
                         const open_how& how, std::string& canonical_out, Answer& denied);
// The same, opened O_PATH: the object a call then changes or reads through the descriptor.
Result<UniqueFd> checked_object(NotifyCall& c, int dirfd, const std::string& raw, bool follow, bool write,
                                Answer& denied);
// The object behind the task's descriptor `dirfd` (its cwd for AT_FDCWD), for calls on a
// descriptor (AT_EMPTY_PATH with an empty path): opened through /proc/<tid>/fd/<n>.
Result<UniqueFd> task_descriptor(NotifyCall& c, int dirfd);

}  // namespace edgeward::sandbox
