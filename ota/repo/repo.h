// The repository (publisher) operations behind `edgeward ota repo ...`. Each takes the repository
// directory and the current time (Unix seconds), writes only through atomic replaces, and
// builds and signs everything in memory before the first write, so a failure leaves the
// published metadata as it was.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "ota/repo/duration.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::repo {

struct InitOptions {
  Lifetimes lifetimes = default_lifetimes();
  std::map<tuf::Role, uint32_t> keys;       // keys per role (default 1)
  std::map<tuf::Role, uint32_t> threshold;  // threshold per role (default 1, <= keys)
};
// Creates DIR (refusing one that already holds metadata/root.json): keys for each role, then
// 1.root.json + root.json (consistent_snapshot true) and empty version-1 targets, snapshot and
// timestamp.
Status init(const std::string& dir, const InitOptions& opt, int64_t now);

struct AddOptions {
  std::string name;
  std::string kind = "workload";  // runtime | workload | release
  std::string board, arch;        // optional
  std::optional<uint64_t> version;
  std::vector<std::string> members;  // release: names of staged runtime/workload targets
  bool chunks = true;                 // workload: also publish a chunk index and blob (chunks.h)
  bool patch = true;                  // runtime: also publish a patch from the previous build (runtime_patch.h)
};
struct Added {
  std::string name;
  std::string path;  // where the file now is, under DIR/targets/
  tuf::TargetFile file;
};
// Copies `file` (for a release without a file: the canonical JSON of its member list) to
// DIR/targets/ under its consistent-snapshot name and stages it for the next publish.
Result<Added> add(const std::string& dir, const std::string& file, const AddOptions& opt);

struct Published {
  uint64_t targets = 0, snapshot = 0, timestamp = 0;  // the versions written
  size_t target_count = 0;
  std::vector<std::string> collected;  // chunk index/blob and patch files no unexpired metadata names any more, removed
};
// Signs the staged targets as the next targets version, then snapshot, then timestamp; then
// removes chunk files nothing unexpired refers to (chunks.h).
Result<Published> publish(const std::string& dir, const Lifetimes& lifetimes, int64_t now);

// Re-signs timestamp.json alone (version + 1, new expiry); returns the new version.
Result<uint64_t> refresh(const std::string& dir, int64_t lifetime, int64_t now);

struct Rotated {
  uint64_t root_version = 0;
  std::vector<std::string> new_keyids, retired_keyids;
  std::optional<Published> republished;  // a non-root role's metadata re-signed with its new keys
};
// New key(s) for `role` (as many as it has, same threshold), root N+1 signed by the old root
// keys and (for the root role) the new ones, old private keys moved to keys/retired/.
Result<Rotated> rotate(const std::string& dir, tuf::Role role, const Lifetimes& lifetimes, int64_t now);

// What `ota repo show` prints: per role version, expiry, keys, threshold; the targets.
Result<nlohmann::json> describe(const std::string& dir);

}  // namespace edgeward::ota::repo
