#include "runtime/daemon/log_rotation.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "common/errno_error.h"
#include "common/unique_fd.h"

namespace edgeward::daemon {
namespace {

std::string nth(const std::string& path, unsigned i) { return path + "." + std::to_string(i); }

Status copy_to(int in, uint64_t size, const std::string& dst) {
  const std::string tmp = dst + ".tmp";
  UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (!out.valid()) return errno_error("log rotation: creating " + tmp);
  off_t off = 0;
  while (static_cast<uint64_t>(off) < size) {
    const ssize_t n = ::sendfile(out.get(), in, &off, size - static_cast<uint64_t>(off));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("log rotation: copying into " + tmp);
    if (n == 0) break;
  }
  if (::rename(tmp.c_str(), dst.c_str()) != 0) return errno_error("log rotation: renaming " + tmp);
  return {};
}

}  // namespace

Result<bool> rotate_if_needed(const std::string& path, const LogLimits& limits) {
  UniqueFd in(::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
  if (!in.valid()) return errno == ENOENT ? Result<bool>(false) : errno_error("log rotation: opening " + path);
  struct stat st{};
  if (::fstat(in.get(), &st) != 0) return errno_error("log rotation: stat " + path);
  if (static_cast<uint64_t>(st.st_size) <= limits.max_bytes) return false;
  if (limits.keep == 0) {
    if (::ftruncate(in.get(), 0) != 0) return errno_error("log rotation: truncating " + path);
    return true;
  }
  ::unlink(nth(path, limits.keep).c_str());
  for (unsigned i = limits.keep; i > 1; --i) ::rename(nth(path, i - 1).c_str(), nth(path, i).c_str());
  EW_TRY(copy_to(in.get(), static_cast<uint64_t>(st.st_size), nth(path, 1)));
  if (::ftruncate(in.get(), 0) != 0) return errno_error("log rotation: truncating " + path);
  return true;
}

void remove_logs(const std::string& path, unsigned keep) {
  ::unlink(path.c_str());
  for (unsigned i = 1; i <= keep; ++i) ::unlink(nth(path, i).c_str());
}

Result<LogChunk> read_log(const std::string& path, uint64_t offset, size_t max) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) {
    if (errno == ENOENT) return LogChunk{"", 0};
    return errno_error("opening log " + path);
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat " + path);
  if (offset > static_cast<uint64_t>(st.st_size)) offset = 0;  // rotated under the reader
  LogChunk c;
  c.data.resize(std::min<uint64_t>(max, static_cast<uint64_t>(st.st_size) - offset));
  const ssize_t n = ::pread(fd.get(), c.data.data(), c.data.size(), static_cast<off_t>(offset));
  if (n < 0) return errno_error("reading log " + path);
  c.data.resize(static_cast<size_t>(n));
  c.next = offset + static_cast<uint64_t>(n);
  return c;
}

}  // namespace edgeward::daemon
