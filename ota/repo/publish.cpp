// `ota repo publish` and `ota repo refresh`: the next targets, snapshot and timestamp, signed
// with the keys on disk, written targets first and timestamp last so a reader never sees a
// timestamp naming a snapshot that is not there yet.
#include "attest/crypto/sha256.h"
#include "ota/repo/chunks.h"
#include "ota/repo/sign.h"
#include "ota/repo/staging.h"

namespace edgeward::ota::repo {
namespace {

tuf::MetaFile describe_file(uint64_t version, const std::string& text) {
  tuf::MetaFile m;
  m.version = version;
  m.length = text.size();
  m.hashes["sha256"] = attest::to_hex(attest::sha256(text));
  return m;
}

std::string versioned(uint64_t v, tuf::Role role) {
  return std::to_string(v) + "." + std::string(tuf::role_name(role)) + ".json";
}

}  // namespace

Result<uint64_t> current_version(const Layout& l, tuf::Role role) {
  const std::string name = std::string(tuf::role_name(role)) + ".json";
  auto text = read_metadata(l, name);
  if (!text && text.error().code == ErrorCode::kNotFound) return uint64_t{0};
  if (!text) return std::move(text).error();
  EW_ASSIGN(tuf::Envelope e, tuf::parse_envelope(*text, role, l.metadata() + "/" + name));
  EW_ASSIGN(tuf::Common c, tuf::parse_common(e));
  return c.version;
}

Result<Published> publish_with_root(const Layout& l, const tuf::Root& root, const Lifetimes& lifetimes, int64_t now) {
  Published p;
  EW_ASSIGN(TargetMap staged, read_staged(l));
  EW_ASSIGN(uint64_t tv, current_version(l, tuf::Role::kTargets));
  EW_ASSIGN(uint64_t sv, current_version(l, tuf::Role::kSnapshot));
  EW_ASSIGN(uint64_t tsv, current_version(l, tuf::Role::kTimestamp));

  tuf::Targets targets;
  targets.common = {tuf::kSpecVersion, tv + 1, now + lifetimes.at(tuf::Role::kTargets)};
  targets.targets = std::move(staged);
  EW_ASSIGN(std::string targets_text, sign_role(l.dir, root, tuf::Role::kTargets, tuf::to_json(targets)));

  tuf::Snapshot snapshot;
  snapshot.common = {tuf::kSpecVersion, sv + 1, now + lifetimes.at(tuf::Role::kSnapshot)};
  snapshot.meta["targets.json"] = describe_file(targets.common.version, targets_text);
  EW_ASSIGN(std::string snapshot_text, sign_role(l.dir, root, tuf::Role::kSnapshot, tuf::to_json(snapshot)));

  tuf::Timestamp ts;
  ts.common = {tuf::kSpecVersion, tsv + 1, now + lifetimes.at(tuf::Role::kTimestamp)};
  ts.snapshot = describe_file(snapshot.common.version, snapshot_text);
  EW_ASSIGN(std::string ts_text, sign_role(l.dir, root, tuf::Role::kTimestamp, tuf::to_json(ts)));

  // Everything is signed; now the writes, each atomic, in the order readers follow them backwards.
  EW_TRY(write_metadata(l, versioned(targets.common.version, tuf::Role::kTargets), targets_text));
  EW_TRY(write_metadata(l, "targets.json", targets_text));
  EW_TRY(write_metadata(l, versioned(snapshot.common.version, tuf::Role::kSnapshot), snapshot_text));
  EW_TRY(write_metadata(l, "snapshot.json", snapshot_text));
  EW_TRY(write_metadata(l, "timestamp.json", ts_text));
  p.targets = targets.common.version;
  p.snapshot = snapshot.common.version;
  p.timestamp = ts.common.version;
  p.target_count = targets.targets.size();
  return p;
}

Result<Published> publish(const std::string& dir, const Lifetimes& lifetimes, int64_t now) {
  const Layout l{dir};
  EW_ASSIGN(tuf::Root root, load_root(l));
  EW_ASSIGN(Published p, publish_with_root(l, root, lifetimes, now));
  EW_ASSIGN(p.collected, gc_chunk_files(l, now));
  return p;
}

Result<uint64_t> refresh(const std::string& dir, int64_t lifetime, int64_t now) {
  const Layout l{dir};
  EW_ASSIGN(tuf::Root root, load_root(l));
  EW_ASSIGN(std::string text, read_metadata(l, "timestamp.json"));
  EW_ASSIGN(tuf::Envelope e, tuf::parse_envelope(text, tuf::Role::kTimestamp, l.metadata() + "/timestamp.json"));
  EW_ASSIGN(tuf::Timestamp ts, tuf::parse_timestamp(e));
  ts.common.spec_version = tuf::kSpecVersion;
  ts.common.version += 1;
  ts.common.expires = now + lifetime;
  EW_ASSIGN(std::string signed_text, sign_role(dir, root, tuf::Role::kTimestamp, tuf::to_json(ts)));
  EW_TRY(write_metadata(l, "timestamp.json", signed_text));
  return ts.common.version;
}

}  // namespace edgeward::ota::repo
