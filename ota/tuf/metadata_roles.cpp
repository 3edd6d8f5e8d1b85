// Parsers of the four top-level roles' "signed" parts (root, targets, snapshot, timestamp).
#include <set>

#include "ota/tuf/error.h"
#include "ota/tuf/fields.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::tuf {
namespace {

constexpr size_t kMaxCustomBytes = 64 * 1024;  // canonical bytes of one target's "custom"

Result<MetaFile> parse_meta_file(const nlohmann::json& o, const std::string& where) {
  MetaFile m;
  EW_ASSIGN(m.version, fields::uint(o, "version", where, 1, uint64_t{1} << 53));
  if (o.contains("length")) {
    EW_ASSIGN(m.length, fields::uint(o, "length", where, 0, kMaxMetadataBytes));
  }
  if (o.contains("hashes")) {
    EW_ASSIGN(m.hashes, fields::hashes(o, "hashes", where));
  }
  return m;
}

Result<RoleKeys> parse_role_keys(const nlohmann::json& o, const std::string& where,
                                 const std::map<std::string, bool>& declared) {
  RoleKeys rk;
  EW_ASSIGN(const nlohmann::json* ids, fields::array(o, "keyids", where));
  if (ids->size() > kMaxKeys) return malformed(where + ".keyids", "has more than 256 entries");
  std::set<std::string> seen;
  for (const auto& id : *ids) {
    if (!id.is_string() || id.get_ref<const std::string&>().size() > 128) {
      return malformed(where + ".keyids", "entries must be keyid strings");
    }
    const auto& s = id.get_ref<const std::string&>();
    if (!seen.insert(s).second) return malformed(where + ".keyids", "lists key " + s.substr(0, 16) + " twice");
    if (!declared.count(s)) return malformed(where + ".keyids", "key " + s.substr(0, 16) + " is not in signed.keys");
    rk.keyids.push_back(s);
  }
  EW_ASSIGN(uint64_t threshold, fields::uint(o, "threshold", where, 1, kMaxKeys));
  rk.threshold = static_cast<uint32_t>(threshold);
  return rk;
}

}  // namespace

Result<Root> parse_root(const Envelope& e) {
  Root r;
  EW_ASSIGN(r.common, parse_common(e));
  const std::string sw = e.file + ": signed";
  EW_ASSIGN(r.consistent_snapshot, fields::boolean(e.signed_part, "consistent_snapshot", sw));
  EW_ASSIGN(const nlohmann::json* keys, fields::object(e.signed_part, "keys", sw, kMaxKeys));
  std::map<std::string, bool> declared;  // every keyid, supported or not
  for (const auto& [id, obj] : keys->items()) {
    if (id.empty() || id.size() > 128) return malformed(sw + ".keys", "a keyid must be 1 to 128 bytes");
    declared[id] = true;
    auto key = PublicKey::parse(obj, id, sw + ".keys." + id.substr(0, 16));
    if (!key && key.error().code == ErrorCode::kUnsupported) {  // can never count towards a threshold
      r.unsupported_keys.emplace(id, obj);
      continue;
    }
    if (!key) return std::move(key).error();
    r.keys.emplace(id, std::move(*key));
  }
  EW_ASSIGN(const nlohmann::json* roles, fields::object(e.signed_part, "roles", sw));
  for (const auto& [name, obj] : roles->items()) {
    // Only the four top-level roles; a role name is never used to build a path.
    auto role = role_from_name(name);
    if (!role) return malformed(sw + ".roles", "unknown role '" + name.substr(0, 32) + "' (root, targets, snapshot, timestamp)");
    EW_ASSIGN(r.roles[*role], parse_role_keys(obj, sw + ".roles." + name, declared));
  }
  for (Role role : kAllRoles) {
    if (!r.roles.count(role)) return malformed(sw + ".roles", "role '" + std::string(role_name(role)) + "' is missing");
  }
  return r;
}

Result<Targets> parse_targets(const Envelope& e) {
  Targets t;
  EW_ASSIGN(t.common, parse_common(e));
  const std::string sw = e.file + ": signed";
  EW_ASSIGN(const nlohmann::json* targets, fields::object(e.signed_part, "targets", sw, kMaxTargets));
  if (e.signed_part.contains("delegations")) {
    return Error::unsupported(sw + ".delegations: delegated targets roles are not supported yet");
  }
  for (const auto& [name, obj] : targets->items()) {
    auto named = check_target_name(name);
    if (!named) return malformed(sw + ".targets", named.error().message);
    const std::string where = sw + ".targets." + name;
    TargetFile f;
    EW_ASSIGN(f.length, fields::uint(obj, "length", where, 0, uint64_t{1} << 53));
    EW_ASSIGN(f.hashes, fields::hashes(obj, "hashes", where));
    if (!f.hashes.count("sha256")) return malformed(where + ".hashes", "must include sha256");
    if (obj.contains("custom")) {
      f.custom = obj["custom"];
      if (!f.custom.is_object()) return malformed(where + ".custom", "must be an object");
      if (f.custom.dump().size() > kMaxCustomBytes) return malformed(where + ".custom", "is larger than 64 KiB");
    }
    t.targets.emplace(name, std::move(f));
  }
  return t;
}

Result<Snapshot> parse_snapshot(const Envelope& e) {
  Snapshot s;
  EW_ASSIGN(s.common, parse_common(e));
  const std::string sw = e.file + ": signed";
  EW_ASSIGN(const nlohmann::json* meta, fields::object(e.signed_part, "meta", sw, kMaxKeys));
  for (const auto& [name, obj] : meta->items()) {
    // "<role>.json" where <role> is a plain name: entries are looked up, never opened as paths.
    if (!name.ends_with(".json") || name.size() > 128 || name.find_first_of("/\\") != std::string::npos ||
        name.starts_with(".")) {
      return malformed(sw + ".meta", "entry '" + name.substr(0, 64) + "' is not a role file name");
    }
    EW_ASSIGN(s.meta[name], parse_meta_file(obj, sw + ".meta." + name));
  }
  if (!s.meta.count("targets.json")) return malformed(sw + ".meta", "has no targets.json entry");
  return s;
}

Result<Timestamp> parse_timestamp(const Envelope& e) {
  Timestamp t;
  EW_ASSIGN(t.common, parse_common(e));
  const std::string sw = e.file + ": signed";
  EW_ASSIGN(const nlohmann::json* meta, fields::object(e.signed_part, "meta", sw));
  if (meta->size() != 1 || !meta->contains("snapshot.json")) {
    return malformed(sw + ".meta", "must have exactly one entry, snapshot.json");
  }
  EW_ASSIGN(t.snapshot, parse_meta_file((*meta)["snapshot.json"], sw + ".meta.snapshot.json"));
  return t;
}

}  // namespace edgeward::ota::tuf
