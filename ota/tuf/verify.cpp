// TUF client-workflow checks (see verify.h): thresholds, rotation, expiry, rollback, consistency.
#include "ota/tuf/verify.h"

#include <set>

#include "attest/crypto/sha256.h"
#include "ota/tuf/error.h"

namespace edgeward::ota::tuf {
namespace {

Status check_meta_bytes(const MetaFile& m, std::string_view bytes, std::string_view who, std::string_view file) {
  const std::string what = std::string(file) + " (as listed by " + std::string(who) + ")";
  if (m.length && *m.length != bytes.size()) {
    return untrusted(what, "is " + std::to_string(bytes.size()) + " bytes, expected " + std::to_string(*m.length));
  }
  auto h = m.hashes.find("sha256");
  if (h != m.hashes.end() && attest::to_hex(attest::sha256(bytes)) != h->second) {
    return untrusted(what, "sha256 does not match");
  }
  return {};
}

}  // namespace

Status verify_threshold(const Envelope& e, const std::map<std::string, PublicKey>& keys, const RoleKeys& role_keys,
                        std::string_view role) {
  const std::string where = e.file + " (" + std::string(role) + ")";
  if (role_keys.threshold == 0) return untrusted(where, "threshold 0 is never met (must be >= 1)");
  const std::set<std::string> authorized(role_keys.keyids.begin(), role_keys.keyids.end());
  // Counted by key material, not keyid: one key listed under two keyids still counts once.
  std::set<std::string> counted;
  for (const Signature& s : e.signatures) {
    if (!authorized.count(s.keyid)) continue;
    auto key = keys.find(s.keyid);
    if (key == keys.end()) continue;
    if (counted.count(key->second.material())) continue;
    if (key->second.verify(e.canonical_signed, s.sig, where)) counted.insert(key->second.material());
  }
  if (counted.size() < role_keys.threshold) {
    return untrusted(where, "signed by " + std::to_string(counted.size()) + " valid key(s), threshold is " +
                                std::to_string(role_keys.threshold) + "; refusing it");
  }
  return {};
}

Status verify_role(const Envelope& e, const Root& root, Role role) {
  auto rk = root.roles.find(role);
  if (rk == root.roles.end()) return untrusted(e.file, "the root has no " + std::string(role_name(role)) + " role");
  return verify_threshold(e, root.keys, rk->second, role_name(role));
}

Result<Root> verify_root_update(const Root& trusted, std::string_view next_bytes, std::string_view file) {
  EW_ASSIGN(Envelope e, parse_envelope(next_bytes, Role::kRoot, file));
  EW_ASSIGN(Root next, parse_root(e));
  auto old_sig = verify_role(e, trusted, Role::kRoot);
  if (!old_sig) return std::move(old_sig).error().context("not signed by the trusted root's keys");
  auto new_sig = verify_role(e, next, Role::kRoot);
  if (!new_sig) return std::move(new_sig).error().context("not signed by its own root keys");
  if (next.common.version != trusted.common.version + 1) {
    return untrusted(file, "root version " + std::to_string(next.common.version) + " does not follow the trusted " +
                               std::to_string(trusted.common.version) + " (must be exactly +1)");
  }
  return next;
}

Status check_expiry(const Common& c, int64_t now, std::string_view role) {
  if (c.expires <= now) {
    return untrusted(role, "metadata expired at " + format_expires(c.expires) + " (trusted time is " +
                               format_expires(now) + "); the repository must re-sign it");
  }
  return {};
}

Status check_version(uint64_t trusted, uint64_t candidate, bool allow_equal, std::string_view role) {
  if (candidate < trusted || (!allow_equal && candidate == trusted)) {
    return untrusted(role, "version " + std::to_string(candidate) + " would roll back from trusted version " +
                               std::to_string(trusted));
  }
  return {};
}

Status check_timestamp_update(const std::optional<Timestamp>& trusted, const Timestamp& candidate) {
  if (!trusted) return {};
  EW_TRY(check_version(trusted->common.version, candidate.common.version, true, "timestamp"));
  return check_version(trusted->snapshot.version, candidate.snapshot.version, true, "timestamp: meta.snapshot.json");
}

Status check_snapshot_against_timestamp(const Timestamp& ts, std::string_view snapshot_bytes, const Snapshot& snapshot) {
  EW_TRY(check_meta_bytes(ts.snapshot, snapshot_bytes, "timestamp", "snapshot.json"));
  if (snapshot.common.version != ts.snapshot.version) {
    return untrusted("snapshot.json", "version " + std::to_string(snapshot.common.version) +
                                          " is not the timestamp's " + std::to_string(ts.snapshot.version));
  }
  return {};
}

Status check_snapshot_update(const std::optional<Snapshot>& trusted, const Snapshot& candidate) {
  if (!trusted) return {};
  EW_TRY(check_version(trusted->common.version, candidate.common.version, true, "snapshot"));
  for (const auto& [name, old] : trusted->meta) {
    auto now = candidate.meta.find(name);
    if (now == candidate.meta.end()) return untrusted("snapshot.json", "no longer lists " + name);
    EW_TRY(check_version(old.version, now->second.version, true, "snapshot: meta." + name));
  }
  return {};
}

Status check_targets_against_snapshot(const Snapshot& snapshot, std::string_view targets_bytes, const Targets& targets) {
  auto entry = snapshot.meta.find("targets.json");
  if (entry == snapshot.meta.end()) return untrusted("snapshot.json", "has no targets.json entry");
  EW_TRY(check_meta_bytes(entry->second, targets_bytes, "snapshot", "targets.json"));
  if (targets.common.version != entry->second.version) {
    return untrusted("targets.json", "version " + std::to_string(targets.common.version) +
                                         " is not the snapshot's " + std::to_string(entry->second.version));
  }
  return {};
}

Status check_target_file(const TargetFile& meta, std::span<const uint8_t> bytes, std::string_view name) {
  const std::string what = "target '" + std::string(name) + "'";
  if (bytes.size() != meta.length) {
    return untrusted(what, "is " + std::to_string(bytes.size()) + " bytes, expected " + std::to_string(meta.length));
  }
  auto h = meta.hashes.find("sha256");
  if (h == meta.hashes.end()) return untrusted(what, "has no sha256 in its metadata");
  if (attest::to_hex(attest::sha256(bytes)) != h->second) return untrusted(what, "sha256 does not match");
  return {};
}

bool must_forget_after_rotation(const Root& old_root, const Root& new_root, Role role) {
  auto a = old_root.roles.find(role);
  auto b = new_root.roles.find(role);
  if (a == old_root.roles.end() || b == new_root.roles.end()) return true;
  const std::set<std::string> ka(a->second.keyids.begin(), a->second.keyids.end());
  const std::set<std::string> kb(b->second.keyids.begin(), b->second.keyids.end());
  return ka != kb || a->second.threshold != b->second.threshold;
}

}  // namespace edgeward::ota::tuf
