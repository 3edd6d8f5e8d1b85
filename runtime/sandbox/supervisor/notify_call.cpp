#include "runtime/sandbox/supervisor/notify_call.h"

#include <sys/ioctl.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

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

}  // namespace edgeward::sandbox
