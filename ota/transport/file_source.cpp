// file:// ByteSource (see file_source.h).
#include "ota/transport/file_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/errno_error.h"

namespace edgeward::ota {

Result<OpenedRange> FileSource::open(uint64_t offset, uint64_t max_size) {
  attest::Fd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return errno_error("open " + path_);
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat " + path_);
  if (!S_ISREG(st.st_mode)) return Error::invalid(path_ + " is not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_size) {
    return Error::invalid(path_ + " has " + std::to_string(size) + " bytes, more than the " + std::to_string(max_size) +
                          " expected");
  }
  fd_ = std::move(fd);
  if (offset > size) return OpenedRange{offset, size, true};
  pos_ = offset;
  end_ = size;
  return OpenedRange{offset, size, false};
}

Result<size_t> FileSource::read(std::span<uint8_t> out) {
  if (fd_.get() < 0) return Error::internal("FileSource::read before open");
  if (pos_ >= end_) return size_t{0};
  const size_t want = static_cast<size_t>(std::min<uint64_t>(out.size(), end_ - pos_));
  ssize_t n;
  do {
    n = ::pread(fd_.get(), out.data(), want, static_cast<off_t>(pos_));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno_error("read " + path_);
  if (n == 0) return Error::io(path_ + " shrank while being read (at byte " + std::to_string(pos_) + ")");
  pos_ += static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

}  // namespace edgeward::ota
