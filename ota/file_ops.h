// Every change an OTA install makes to the device's storage goes through FileOps: create, write,
// fsync, rename, fsync of a directory, unlink. The real implementation calls the kernel; the
// power-cut harness (tests/ota/slots/) substitutes one that stops the install at any of those
// points, with or without the writes that were not yet made durable. On top of it, the two
// durable patterns every install uses: a file replaced whole (temp, fsync, rename, fsync dir) and
// a stream copied into place with its SHA-256 checked before the rename.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "attest/crypto/sha256.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::ota {

class FileOps {
 public:
  virtual ~FileOps() = default;
  // Creates or truncates `path` for writing, with permissions `mode`.
  virtual Result<UniqueFd> create(const std::string& path, unsigned mode);
  virtual Status write(int fd, std::span<const uint8_t> data, const std::string& path);
  virtual Status fsync(int fd, const std::string& path);
  virtual Status rename(const std::string& from, const std::string& to);
  virtual Status fsync_dir(const std::string& dir);
  virtual Status unlink(const std::string& path);  // a missing file is not an error
};

// The kernel, unchanged.
FileOps& system_file_ops();

std::string parent_dir(const std::string& path);

// Replaces `path` with `data`: `path.tmp` written and fsynced, renamed over `path`, the directory
// fsynced. After a crash at any point, `path` holds the old or the new content, whole.
Status durable_replace(FileOps& ops, const std::string& path, std::string_view data, unsigned mode = 0600);

// Copies the file `from` into `to` through `to.part` (fsynced), checks that it has `length` bytes
// and the SHA-256 `expected`, then renames it into place and fsyncs the directory. On a mismatch
// the part file is removed and nothing is renamed. `chunk` is the write size.
Status durable_copy_verified(FileOps& ops, const std::string& from, const std::string& to, uint64_t length,
                             const attest::Digest& expected, unsigned mode, size_t chunk = 1 << 20);

// Like durable_copy_verified, but `from` — a private file nobody else writes, e.g. a verified
// download — is renamed into place instead of copied when both are on one file system (one write
// of the bytes instead of two); its length and SHA-256 are still checked, in `to.part`, before
// the final rename, and a mismatch removes it. Falls back to the copy across file systems.
Status durable_move_verified(FileOps& ops, const std::string& from, const std::string& to, uint64_t length,
                             const attest::Digest& expected, unsigned mode, size_t chunk = 1 << 20);

}  // namespace edgeward::ota
