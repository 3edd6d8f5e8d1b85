// Caps on what the device client accepts from a repository before any hash is known: every
// metadata file is fetched with a hard size cap (a hostile or broken server sending endless data
// fails as soon as it passes the cap), and the root rotation loop is bounded.
#pragma once

#include <cstdint>

namespace edgeward::ota::client {

struct FetchLimits {
  uint64_t root_bytes = 512 * 1024;       // N.root.json
  uint64_t timestamp_bytes = 16 * 1024;   // timestamp.json
  uint64_t snapshot_bytes = 512 * 1024;   // when the timestamp gives no length
  uint64_t targets_bytes = 512 * 1024;    // when the snapshot gives no length
  uint32_t max_root_rotations = 32;       // N+1.root.json fetched at most this often per refresh
};

}  // namespace edgeward::ota::client
