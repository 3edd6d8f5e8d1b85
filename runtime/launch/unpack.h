// Unpacks an image's ROOTFS_ARCHIVE component (a plain tar archive, read by libarchive) into a new
// directory for the sandbox backend. Hostile archives are expected:
//   - paths must be relative and free of ".."; no component of a path may be a symlink (each
//     parent is opened with O_NOFOLLOW from the root), so nothing lands outside the directory;
//   - only directories, regular files, symlinks and hard links (to entries inside) are created;
//     device nodes, FIFOs and sockets are refused;
//   - setuid, setgid bits are dropped; everything is owned by the daemon's user;
//   - total size and entry count are capped;
//   - the bytes libarchive reads are hashed and compared with the signed digest, so an image
//     changed after verification is refused rather than unpacked.
// On any error the new directory is removed: nothing half-unpacked is left.
#pragma once

#include <cstdint>
#include <string>

#include "attest/image/manifest.h"
#include "common/result.h"

namespace edgeward::launch {

struct UnpackLimits {
  uint64_t max_total_bytes = 1ull << 30;  // sum of regular file sizes
  uint64_t max_entries = 100000;
};

struct UnpackStats {
  uint64_t entries = 0;
  uint64_t bytes = 0;
};

// `c` is the rootfs-archive component of a verified manifest of `image_path`; `dest` must not exist.
Result<UnpackStats> unpack_rootfs(const std::string& image_path, const attest::Component& c, const std::string& dest,
                                  const UnpackLimits& limits = {});

}  // namespace edgeward::launch
