// Where the chunks an update needs already lie on the device: every given file (installed slots,
// workload images, other downloads and their partial .part files) is cut with the same FastCDC
// parameters as the publisher's, and the chunks whose SHA-256 the update wants are recorded with
// their file and offset. Files that cannot be read are skipped: they are only a cache.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/result.h"

namespace edgeward::ota::delta {

struct DigestHash {
  size_t operator()(const attest::Digest& d) const {
    size_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | d[i];
    return h;
  }
};

struct ChunkLocation {
  size_t file = 0;  // index into LocalChunks::files
  uint64_t offset = 0;
  uint32_t length = 0;
};

struct LocalChunks {
  std::vector<std::string> files;
  std::unordered_map<attest::Digest, ChunkLocation, DigestHash> where;
  uint64_t scanned_bytes = 0;
};

LocalChunks find_local_chunks(const std::vector<std::string>& files,
                              const std::unordered_set<attest::Digest, DigestHash>& wanted);

}  // namespace edgeward::ota::delta
