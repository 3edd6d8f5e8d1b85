#include "runtime/sandbox/supervisor/tracee.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace edgeward::sandbox {
namespace {

constexpr uint64_t kPage = 4096;

}  // namespace

Tracee::Tracee(Tracee&& o) noexcept
    : started(o.started), injecting(o.injecting), scratch(o.scratch), saved(o.saved), tid_(o.tid_),
      mem_fd_(o.mem_fd_), root_fd_(o.root_fd_), paths_(o.paths_) {
  o.mem_fd_ = o.root_fd_ = -1;
}

Tracee::~Tracee() {
  if (mem_fd_ >= 0) close(mem_fd_);
  if (root_fd_ >= 0) close(root_fd_);
}

void Tracee::new_address_space() {
  scratch = 0;
  if (mem_fd_ >= 0) close(mem_fd_);
  mem_fd_ = -1;
}

Result<int> Tracee::mem_fd() {
  if (mem_fd_ < 0) {
    const std::string p = "/proc/" + std::to_string(tid_) + "/mem";
    mem_fd_ = open(p.c_str(), O_RDWR | O_CLOEXEC);
    if (mem_fd_ < 0) return errno_error(errno, "open " + p);
  }
  return mem_fd_;
}

Result<int> Tracee::root_fd() {
  if (root_fd_ < 0) {
    const std::string p = "/proc/" + std::to_string(tid_) + "/root";
    root_fd_ = open(p.c_str(), O_PATH | O_CLOEXEC | O_DIRECTORY);
    if (root_fd_ < 0) return errno_error(errno, "open " + p);
  }
  return root_fd_;
}

Result<std::string> Tracee::read_string(uint64_t addr) {
  EW_ASSIGN(int fd, mem_fd());
  std::string out;
  char buf[kPage];
  while (out.size() <= kMaxPath) {
    const size_t chunk = kPage - (addr % kPage);
    const ssize_t n = pread(fd, buf, chunk, static_cast<off_t>(addr));
    if (n <= 0) return errno_error(EFAULT, "reading a string from task " + std::to_string(tid_));
    const void* nul = std::memchr(buf, 0, static_cast<size_t>(n));
    if (nul) {
      out.append(buf, static_cast<const char*>(nul) - buf);
      if (out.size() > kMaxPath) break;
      return out;
    }
    out.append(buf, static_cast<size_t>(n));
    addr += static_cast<uint64_t>(n);
  }
  return errno_error(ENAMETOOLONG, "path longer than 4095 bytes");
}

Status Tracee::read(uint64_t addr, void* data, size_t len) {
  EW_ASSIGN(int fd, mem_fd());
  if (pread(fd, data, len, static_cast<off_t>(addr)) != static_cast<ssize_t>(len)) {
    return errno_error(EFAULT, "reading " + std::to_string(len) + " bytes from task " + std::to_string(tid_));
  }
  return {};
}

Status Tracee::write(uint64_t addr, const void* data, size_t len) {
  EW_ASSIGN(int fd, mem_fd());
  if (pwrite(fd, data, len, static_cast<off_t>(addr)) != static_cast<ssize_t>(len)) {
    return errno_error(errno, "writing the scratch region of task " + std::to_string(tid_));
  }
  return {};
}

Result<std::string> Tracee::canonical(int dirfd, const std::string& path, bool follow_last) {
  EW_ASSIGN(int root, root_fd());
  if (paths_.root_fd() != root) paths_ = TaskPaths(tid_, root);
  return paths_.canonical(dirfd, path, follow_last);
}

}  // namespace edgeward::sandbox
