// A read-only, private mapping of a whole regular file: large inputs (a kernel, an initrd) are
// copied once, from the page cache to where they go, instead of read into a buffer first — or
// mapped again where they go through fd() (guest RAM: GuestMemory::map_file).
// The file must not be truncated while mapped (access would fault); edgeward maps files it
// was handed by its operator and its own verified images.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward {

class MappedFile {
 public:
  // Maps `path` (a regular file of at most `max_bytes`); `what` names it in errors.
  static Result<MappedFile> open(const std::string& path, uint64_t max_bytes, std::string_view what);
  MappedFile() = default;
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  // The open file (read-only), or -1 for an empty one.
  int fd() const { return fd_.valid() ? fd_.get() : -1; }

 private:
  MappedFile(UniqueFd fd, const uint8_t* data, size_t size) : fd_(std::move(fd)), data_(data), size_(size) {}
  UniqueFd fd_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace edgeward
