#include "common/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <utility>

#include "common/errno_error.h"
#include "common/unique_fd.h"
#include "common/units.h"

namespace edgeward {

Result<MappedFile> MappedFile::open(const std::string& path, uint64_t max_bytes, std::string_view what) {
  const std::string name = std::string(what) + " " + path;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return errno_error("opening " + name);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat " + name);
  if (!S_ISREG(st.st_mode)) return Error::invalid(name + " is not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) return Error::invalid(name + " is larger than " + format_size(max_bytes));
  if (size == 0) return MappedFile();
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) return errno_error("mapping " + name);
  ::madvise(p, size, MADV_SEQUENTIAL);
  return MappedFile(std::move(fd), static_cast<const uint8_t*>(p), size);
}

MappedFile::MappedFile(MappedFile&& o) noexcept
    : fd_(std::move(o.fd_)), data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
  if (this != &o) {
    if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
    fd_ = std::move(o.fd_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

}  // namespace edgeward
