#include "runtime/sandbox/supervisor/notify_call.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/text/file_text.h"
#include "common/text/scanner.h"
#include "runtime/sandbox/supervisor/handler_table.h"

namespace edgeward::sandbox {

bool NotifyCall::valid() const {
  uint64_t id = req.id;
  return ioctl(listener_, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

Result<std::string> NotifyCall::read_string(uint64_t addr) const {
  constexpr uint64_t kPage = 4096;
  char buf[kMaxPath + 1];
  size_t have = 0;
  // Page by page: a string may end just before an unmapped page.
  while (have < sizeof buf) {
    const size_t chunk = std::min<size_t>(kPage - (addr + have) % kPage, sizeof buf - have);
    iovec local{buf + have, chunk};
    iovec remote{reinterpret_cast<void*>(addr + have), chunk};
    const ssize_t n = process_vm_readv(static_cast<pid_t>(req.pid), &local, 1, &remote, 1, 0);
    if (n <= 0) return errno_error(EFAULT, "reading a string from task " + std::to_string(req.pid));
    const void* nul = std::memchr(buf + have, 0, static_cast<size_t>(n));
    have += static_cast<size_t>(n);
    if (nul) {
      // Read first, then confirm the pid still named the task blocked in this call.
      if (!valid()) return errno_error(ESRCH, "task " + std::to_string(req.pid) + " left the call");
      return std::string(buf, static_cast<const char*>(nul) - buf);
    }
  }
  return errno_error(ENAMETOOLONG, "path longer than 4095 bytes");
}

Status NotifyCall::read(uint64_t addr, void* out, size_t len) const {
  iovec local{out, len};
  iovec remote{reinterpret_cast<void*>(addr), len};
  if (process_vm_readv(static_cast<pid_t>(req.pid), &local, 1, &remote, 1, 0) != static_cast<ssize_t>(len)) {
    return errno_error(EFAULT, "reading from task " + std::to_string(req.pid));
  }
  if (!valid()) return errno_error(ESRCH, "task " + std::to_string(req.pid) + " left the call");
  return {};
}

Status NotifyCall::write(uint64_t addr, const void* data, size_t len) const {
  iovec local{const_cast<void*>(data), len};
  iovec remote{reinterpret_cast<void*>(addr), len};
  const ssize_t n = process_vm_writev(static_cast<pid_t>(req.pid), &local, 1, &remote, 1, 0);
  if (n != static_cast<ssize_t>(len)) return errno_error(EFAULT, "writing to task " + std::to_string(req.pid));
  if (!valid()) return errno_error(ESRCH, "task " + std::to_string(req.pid) + " left the call");
  return {};
}

mode_t NotifyCall::umask() const {
  text::Scanner f(text::read_file("/proc/" + std::to_string(req.pid) + "/status", 1 << 16).value_or(""));
  for (std::string line; getline(f, line);) {
    if (line.compare(0, 6, "Umask:") == 0) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  }
  return 022;
}

Answer answer_error(int err) {
  Answer a;
  a.err = err;
  return a;
}

Answer answer_denied(int err, std::string detail) {
  Answer a = answer_error(err);
  a.denied = std::move(detail);
  return a;
}

// `path` is canonical: no symlink may be met, and ".." cannot leave the root.
int open_in_root(int root, const std::string& path, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags);
  how.mode = mode;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, root, path.c_str(), &how, sizeof how));
}

Answer answer_result(int rc) { return rc == 0 ? Answer{} : answer_error(errno); }

std::string magic_link(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

int open_in_root(int root, const std::string& path, const open_how& how) {
  return open_in_root(root, path, static_cast<int>(how.flags), static_cast<mode_t>(how.mode));
}

namespace {
bool may(const Policy& p, const std::string& path, bool write) { return write ? p.may_write(path) : p.may_read(path); }
}  // namespace

// Fast path: a path without ".." that the policy allows as written and that opens without
// meeting a symlink is its own canonical form. Otherwise the kernel's canonical name is looked
// up and checked.
Result<int> open_checked(NotifyCall& c, int dirfd, const std::string& raw, bool follow, bool write, bool creates,
                         const open_how& how, std::string& canonical_out, Answer& denied) {
  EW_ASSIGN(std::string abs, c.paths.absolute(dirfd, raw, follow));
  const int root = c.paths.root_fd();
  if (abs.find("/..") == std::string::npos && may(c.policy, abs, write)) {
    const int fd = open_in_root(root, abs, how);
    if (fd >= 0 || errno != ELOOP) canonical_out = std::move(abs);
    if (fd >= 0) return fd;
    if (errno != ELOOP) return errno_error(errno, "opening " + canonical_out);
  }
  auto canonical = c.paths.canonical(dirfd, raw, follow);
  if (!canonical && creates && errno_of(canonical.error()) == ENOENT) canonical = c.paths.canonical(dirfd, raw, false);
  if (!canonical) return canonical.error();
  if (!may(c.policy, *canonical, write)) {
    denied = answer_denied(write && c.policy.may_read(*canonical) ? EROFS : EACCES, *canonical);
    return errno_error(denied.err, "denied");
  }
  canonical_out = std::move(canonical).value();
  const int fd = open_in_root(root, canonical_out, how);
  if (fd < 0) return errno_error(errno, "opening " + canonical_out);
  return fd;
}

Result<UniqueFd> checked_object(NotifyCall& c, int dirfd, const std::string& raw, bool follow, bool write,
                                Answer& denied) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  std::string target;
  EW_ASSIGN(int fd, open_checked(c, dirfd, raw, follow, write, false, how, target, denied));
  return UniqueFd(fd);
}

Result<UniqueFd> task_descriptor(NotifyCall& c, int dirfd) {
  const std::string proc = "/proc/" + std::to_string(c.req.pid) + (dirfd == AT_FDCWD ? "/cwd" : "/fd/" + std::to_string(dirfd));
  UniqueFd fd(open(proc.c_str(), O_PATH | O_CLOEXEC));
  if (!fd.valid()) return errno_error(dirfd == AT_FDCWD ? ENOENT : EBADF, proc);
  if (!c.valid()) return errno_error(ESRCH, "task left the call");
  return fd;
}

std::span<const NotifyEntry> notify_entries() {
  static const std::vector<NotifyEntry> all =
      join_tables<NotifyEntry>(notify_open_stat::entries(), notify_names::entries(), notify_attrs::entries());
  return all;
}

bool has_notify_handler(std::string_view name) { return has_entry(notify_entries(), name); }

}  // namespace edgeward::sandbox
