// The running binary's version, and its wire form (nanopb VersionInfo, see version.proto).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward {

struct Version {
  std::string version;
  std::string git_commit;
  std::string arch;
  std::string board;

  bool operator==(const Version&) const = default;
};

// The version baked in at build time.
Version current_version();

// Encodes to the VersionInfo protobuf message; fails when a field exceeds its max_size.
Result<std::vector<uint8_t>> encode_version(const Version& v);
// Decodes a VersionInfo message; fails on malformed or oversized input.
Result<Version> decode_version(const std::vector<uint8_t>& bytes);

}  // namespace edgeward
