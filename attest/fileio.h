// File helpers for attest/: an owned fd, whole-file reads with a size cap, and crash-safe
// replacement (write a temporary in the same directory, fsync it, rename over, fsync the
// directory), so a power cut leaves either the old or the new content, never a mix.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::attest {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  int release() {
    const int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_ = -1;
};

Result<Fd> open_read(const std::string& path);
Result<uint64_t> file_size(const Fd& fd, const std::string& path);
// Reads exactly out.size() bytes at `offset`; a short file is an error naming path and offset.
Status pread_exact(const Fd& fd, std::span<uint8_t> out, uint64_t offset, const std::string& path);
// Writes all of `data` at `offset`.
Status pwrite_all(const Fd& fd, std::span<const uint8_t> data, uint64_t offset, const std::string& path);

// Reads the whole file; refuses files larger than `max_bytes`.
Result<std::vector<uint8_t>> read_file(const std::string& path, size_t max_bytes);
Result<std::string> read_text_file(const std::string& path, size_t max_bytes);

// Crash-safe replace of `path` with `data`, created with permissions `mode`.
Status write_file_atomic(const std::string& path, std::span<const uint8_t> data, unsigned mode = 0644);
Status write_file_atomic(const std::string& path, const std::string& text, unsigned mode = 0644);

}  // namespace edgeward::attest
