// The device's trusted TUF metadata, under <state>/tuf/: root.json (the current trusted root),
// timestamp.json, snapshot.json, targets.json (the last verified copy of each), and clock.json
// (trusted_time.h). Each file is replaced whole and durably (ota/file_ops.h,
// durable_replace) and only ever with bytes that passed every check of the refresh. Files are
// re-verified against the trusted root when loaded: a role file whose signatures no longer verify
// (its keys rotated, the file damaged) is ignored, as if never seen.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "ota/file_ops.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::client {

struct Trusted {
  tuf::Root root;
  std::optional<tuf::Timestamp> timestamp;
  std::optional<tuf::Snapshot> snapshot;
  std::optional<tuf::Targets> targets;
};

// "root.json", "timestamp.json", ...
std::string role_file(tuf::Role role);

// Loads the trusted metadata; kNotFound when no root was installed (run `edgeward ota trust`).
Result<Trusted> load_trusted(const std::string& tuf_dir);

// Replaces the role's file with `bytes` (already verified by the caller).
Status save_role(FileOps& ops, const std::string& tuf_dir, tuf::Role role, std::string_view bytes);
// Deletes the role's file (fast-forward attack recovery after a key rotation).
Status forget_role(FileOps& ops, const std::string& tuf_dir, tuf::Role role);

// `ota trust`: `bytes` must be a root signed by a threshold of its own root keys. Refused when a
// root is already trusted unless `replace` (which also forgets the other roles' metadata: they
// were verified under the old trust). Creates tuf_dir (0700).
Result<tuf::Root> install_root(FileOps& ops, const std::string& tuf_dir, std::string_view bytes, bool replace);

}  // namespace edgeward::ota::client
