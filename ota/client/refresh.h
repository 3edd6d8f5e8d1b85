// The TUF 1.0 client workflow (specification section 5) against one repository: starting from the
// trusted metadata in <state>/tuf/, fetch and verify root N+1... until there is none (each through
// verify_root_update; at most FetchLimits::max_root_rotations), check the final root's expiry,
// forget the roles whose keys a rotation changed (fast-forward recovery), then timestamp.json,
// <V>.snapshot.json and <V>.targets.json (consistent-snapshot names), each size-capped, checked
// for signatures, rollback, consistency with the role above it and expiry against the trusted
// time, and persisted only once it passed. The first refusal stops the refresh; its message names
// the role and the check.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "ota/client/limits.h"
#include "ota/client/trusted_store.h"
#include "ota/transport/http_source.h"

namespace edgeward::ota::client {

struct Repository {
  std::string url;  // base URL: <url>/metadata/..., <url>/targets/...
  TransportOptions transport;
  FetchLimits limits;
};

struct Refreshed {
  tuf::Root root;
  tuf::Timestamp timestamp;
  tuf::Snapshot snapshot;
  tuf::Targets targets;
  uint32_t root_rotations = 0;  // newer roots followed by this refresh
  // The timestamp, snapshot and targets files this refresh verified, by their names under
  // metadata/, with their exact bytes (what `ota export` ships).
  struct File {
    std::string name, bytes;
  };
  std::vector<File> files;
};

// "<version>.root.json", the name of a root under metadata/.
std::string root_file(uint64_t version);

// The name of a snapshot or targets file in metadata/: "<version>.<role>.json" with consistent
// snapshots, "<role>.json" without.
std::string metadata_file(const tuf::Root& root, uint64_t version, const char* role);

// `system_now` is the system clock (Unix seconds); the trusted time is derived from it
// (trusted_time.h) and persisted after a successful refresh.
Result<Refreshed> refresh(FileOps& ops, const std::string& tuf_dir, const Repository& repo, int64_t system_now);

}  // namespace edgeward::ota::client
