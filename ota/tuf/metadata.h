// TUF 1.0 top-level metadata: strict parsing of a signed envelope and of the four roles' "signed"
// parts (root, targets, snapshot, timestamp), and their serialization. Hostile input is the
// norm: every field is type-checked, sizes and counts are bounded, role names are only ever the
// four top-level names (never used to build paths), and target names are checked by
// check_target_name before anyone may turn them into a path. Errors start with the file name
// and the field ("timestamp.json: signed.meta.snapshot.json.version: ...").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "ota/tuf/keys.h"

namespace edgeward::ota::tuf {

constexpr size_t kMaxMetadataBytes = 16 * 1024 * 1024;  // one metadata file
constexpr size_t kMaxKeys = 256;                         // keys in a root
constexpr size_t kMaxSignatures = 256;
constexpr size_t kMaxTargets = 100000;
constexpr size_t kMaxTargetNameBytes = 255;
constexpr const char* kSpecVersion = "1.0.31";  // what this repository writes ("1.0.x" is read)

enum class Role { kRoot, kTargets, kSnapshot, kTimestamp };
constexpr Role kAllRoles[] = {Role::kRoot, Role::kTargets, Role::kSnapshot, Role::kTimestamp};

std::string_view role_name(Role role);
// Only the four top-level role names; anything else (a path, "../x", a delegated name) is nullopt.
std::optional<Role> role_from_name(std::string_view name);

// A target name usable as a relative path: 1..255 bytes, no NUL or control characters, no
// backslash, no leading '/', no empty, "." or ".." component.
Status check_target_name(std::string_view name);

struct Signature {
  std::string keyid;
  std::string sig;  // hex
};

// {"signed": {...}, "signatures": [...]} with the canonical bytes of "signed" kept for verifying.
struct Envelope {
  std::string file;  // names the source in errors
  Role role = Role::kRoot;
  nlohmann::json signed_part;
  std::string canonical_signed;
  std::vector<Signature> signatures;
};

// Common header of every role's "signed".
struct Common {
  std::string spec_version = kSpecVersion;
  uint64_t version = 1;
  int64_t expires = 0;  // Unix seconds
};

struct RoleKeys {
  std::vector<std::string> keyids;  // no duplicates (refused when parsing)
  uint32_t threshold = 1;
};

struct Root {
  Common common;
  bool consistent_snapshot = true;
  std::map<std::string, PublicKey> keys;  // keyid -> key (keys of unsupported types left out)
  std::map<std::string, nlohmann::json> unsupported_keys;  // kept only to be written back as they were
  std::map<Role, RoleKeys> roles;         // all four present
};

struct MetaFile {  // an entry of snapshot/timestamp "meta"
  uint64_t version = 1;
  std::optional<uint64_t> length;
  std::map<std::string, std::string> hashes;
};

struct TargetFile {
  uint64_t length = 0;
  std::map<std::string, std::string> hashes;  // must include sha256
  nlohmann::json custom;                      // null when absent
};

struct Targets {
  Common common;
  std::map<std::string, TargetFile> targets;
};

struct Snapshot {
  Common common;
  std::map<std::string, MetaFile> meta;  // "targets.json" is required
};

struct Timestamp {
  Common common;
  MetaFile snapshot;  // meta["snapshot.json"], the only entry allowed
};

// Parses the envelope and checks "signed._type" is `expected`.
Result<Envelope> parse_envelope(std::string_view bytes, Role expected, std::string_view file);

// spec_version ("1.x" or "1.x.y"), version (>= 1), expires of any role.
Result<Common> parse_common(const Envelope& e);
Result<Root> parse_root(const Envelope& e);
Result<Targets> parse_targets(const Envelope& e);
Result<Snapshot> parse_snapshot(const Envelope& e);
Result<Timestamp> parse_timestamp(const Envelope& e);

// "YYYY-MM-DDTHH:MM:SSZ" <-> Unix seconds (strict: exactly that shape, UTC).
Result<int64_t> parse_expires(std::string_view text, std::string_view where);
std::string format_expires(int64_t unix_seconds);

// The "signed" objects, ready to be signed.
nlohmann::json to_json(const Root& r);
nlohmann::json to_json(const Targets& t);
nlohmann::json to_json(const Snapshot& s);
nlohmann::json to_json(const Timestamp& t);
nlohmann::json to_json(const MetaFile& m);

// The file text: {"signatures": [...], "signed": ...} (indented, for people to read; clients
// verify the canonical form of "signed", not these bytes).
std::string envelope_text(const nlohmann::json& signed_part, const std::vector<Signature>& signatures);

}  // namespace edgeward::ota::tuf
