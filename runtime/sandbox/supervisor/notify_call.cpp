#include "runtime/sandbox/supervisor/notify_call.h"

#include <sys/ioctl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

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

Status NotifyCall::write(uint64_t addr, const void* data, size_t len) const {
  iovec local{const_cast<void*>(data), len};
  iovec remote{reinterpret_cast<void*>(addr), len};
  const ssize_t n = process_vm_writev(static_cast<pid_t>(req.pid), &local, 1, &remote, 1, 0);
  if (n != static_cast<ssize_t>(len)) return errno_error(EFAULT, "writing to task " + std::to_string(req.pid));
  if (!valid()) return errno_error(ESRCH, "task " + std::to_string(req.pid) + " left the call");
  return {};
}

mode_t NotifyCall::umask() const {
  std::ifstream f("/proc/" + std::to_string(req.pid) + "/status");
  for (std::string line; std::getline(f, line);) {
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

std::span<const NotifyEntry> notify_entries() {
  static const std::vector<NotifyEntry> all = [] {
    std::vector<NotifyEntry> v;
    for (const auto& e : notify_open_stat::entries()) v.push_back(e);
    for (const auto& e : notify_names::entries()) v.push_back(e);
    return v;
  }();
  return all;
}

bool has_notify_handler(std::string_view name) {
  for (const auto& e : notify_entries()) {
    if (e.name == name) return true;
  }
  return false;
}

}  // namespace edgeward::sandbox
