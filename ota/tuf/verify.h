// The pure checks of the TUF 1.0 client workflow (specification section 5) a device client runs
// on metadata it has downloaded: signatures and thresholds, root N -> N+1 rotation, expiry
// against a trusted time, rollback of every role, snapshot/timestamp/targets consistency, target
// file length and hash, and what a root rotation makes the client forget (fast-forward attack
// recovery). No I/O here: bytes in, Result out; the caller owns files and the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/result.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::tuf {

// Whether at least `role_keys.threshold` distinct keys listed in `role_keys` signed `e`. Each key
// counts once however often it signed, and under however many keyids it is listed (keys are
// compared by their public key material); signatures by unknown or unlisted keys, by keys of an
// unsupported type, or that do not verify, are ignored. A threshold of 0 is refused.
Status verify_threshold(const Envelope& e, const std::map<std::string, PublicKey>& keys, const RoleKeys& role_keys,
                        std::string_view role);

// verify_threshold with the keys and threshold that `root` gives `role`.
Status verify_role(const Envelope& e, const Root& root, Role role);

// Section 5.3: `next_bytes` is the candidate root version N+1 for a trusted root N. It must be
// signed by a threshold of the trusted root's root keys AND of its own root keys, and its version
// must be exactly N+1. Expiry is not checked here (only the final root's, with check_expiry).
Result<Root> verify_root_update(const Root& trusted, std::string_view next_bytes, std::string_view file);

// Refuses metadata whose expires is at or before `now` (Unix seconds from a clock the caller trusts).
Status check_expiry(const Common& c, int64_t now, std::string_view role);

// Rollback: a new version lower than the trusted one is refused. `allow_equal` is true where the
// specification lets the same version be seen again (timestamp, snapshot, targets re-downloads).
Status check_version(uint64_t trusted, uint64_t candidate, bool allow_equal, std::string_view role);

// Section 5.4: a new timestamp against the trusted one (nullopt on first use): its version and the
// snapshot version it names must not go backwards.
Status check_timestamp_update(const std::optional<Timestamp>& trusted, const Timestamp& candidate);

// Section 5.5: snapshot bytes against the timestamp's entry (sha256 and length when given, then
// version), and against the trusted snapshot: no targets-role version may go backwards and no
// entry may disappear.
Status check_snapshot_against_timestamp(const Timestamp& ts, std::string_view snapshot_bytes, const Snapshot& snapshot);
Status check_snapshot_update(const std::optional<Snapshot>& trusted, const Snapshot& candidate);

// Section 5.6: targets bytes against the snapshot's targets.json entry (hash, length, version).
Status check_targets_against_snapshot(const Snapshot& snapshot, std::string_view targets_bytes, const Targets& targets);

// Section 5.7: a downloaded target file against its metadata (length, then sha256).
Status check_target_file(const TargetFile& meta, std::span<const uint8_t> bytes, std::string_view name);

// Fast-forward recovery (5.3.11): after updating from `old_root` to `new_root`, the trusted
// metadata of `role` must be deleted when that role's keys changed (a compromised key may have
// pushed its version arbitrarily high).
bool must_forget_after_rotation(const Root& old_root, const Root& new_root, Role role);

}  // namespace edgeward::ota::tuf
