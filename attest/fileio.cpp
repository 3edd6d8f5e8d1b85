#include "attest/fileio.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attest/error.h"

namespace edgeward::attest {
namespace {

Error errno_error(const std::string& path, const char* what) {
  const int e = errno;
  return make_error(e == ENOENT ? Errc::kNotFound : Errc::kIo, path + ": " + what + ": " + std::strerror(e));
}

}  // namespace

Status pwrite_all(const Fd& fd, std::span<const uint8_t> data, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd.get(), data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error(path, "write failed");
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

Result<Fd> open_read(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error(path, "cannot open");
  return Fd(fd);
}

Result<uint64_t> file_size(const Fd& fd, const std::string& path) {
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) return errno_error(path, "stat failed");
  if (!S_ISREG(st.st_mode)) return make_error(Errc::kMalformed, path + ": not a regular file");
  return static_cast<uint64_t>(st.st_size);
}

Status pread_exact(const Fd& fd, std::span<uint8_t> out, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd.get(), out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error(path, "read failed");
    }
    if (n == 0) {
      return make_error(Errc::kMalformed, path + ": truncated: expected " + std::to_string(out.size()) +
                                              " bytes at offset " + std::to_string(offset));
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

Result<std::vector<uint8_t>> read_file(const std::string& path, size_t max_bytes) {
  EW_ASSIGN(Fd fd, open_read(path));
  EW_ASSIGN(uint64_t size, file_size(fd, path));
  if (size > max_bytes) {
    return make_error(Errc::kMalformed, path + ": file is " + std::to_string(size) + " bytes, more than the " +
                                            std::to_string(max_bytes) + " allowed");
  }
  std::vector<uint8_t> out(size);
  EW_TRY(pread_exact(fd, out, 0, path));
  return out;
}

Result<std::string> read_text_file(const std::string& path, size_t max_bytes) {
  EW_ASSIGN(auto bytes, read_file(path, max_bytes));
  return std::string(bytes.begin(), bytes.end());
}

Status write_file_atomic(const std::string& path, std::span<const uint8_t> data, unsigned mode) {
  const std::string tmp = path + ".tmp";
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) return errno_error(tmp, "cannot create");
  if (::fchmod(fd.get(), mode) != 0) return errno_error(tmp, "chmod failed");
  EW_TRY(pwrite_all(fd, data, 0, tmp));
  if (::fsync(fd.get()) != 0) return errno_error(tmp, "fsync failed");
  fd = Fd();
  if (::rename(tmp.c_str(), path.c_str()) != 0) return errno_error(path, "rename failed");
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() < 0 || ::fsync(dfd.get()) != 0) return errno_error(dir, "fsync of directory failed");
  return {};
}

Status write_file_atomic(const std::string& path, const std::string& text, unsigned mode) {
  return write_file_atomic(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), mode);
}

}  // namespace edgeward::attest
