// TUF envelopes and the shared pieces of every role: names, spec_version, version, expires, and
// serialization (the role-specific parsers are in metadata_roles.cpp).
#include "ota/tuf/metadata.h"

#include <ctime>

#include "common/utc_time.h"
#include "ota/tuf/canonical_json.h"
#include "ota/tuf/error.h"
#include "ota/tuf/fields.h"

namespace edgeward::ota::tuf {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kRoot: return "root";
    case Role::kTargets: return "targets";
    case Role::kSnapshot: return "snapshot";
    case Role::kTimestamp: return "timestamp";
  }
  return "?";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (Role r : kAllRoles) {
    if (role_name(r) == name) return r;
  }
  return std::nullopt;
}

Status check_target_name(std::string_view name) {
  const std::string quoted = "target name '" + std::string(name.substr(0, 64)) + "'";
  if (name.empty() || name.size() > kMaxTargetNameBytes) return Error::invalid(quoted + ": must be 1 to 255 bytes");
  if (name.front() == '/') return Error::invalid(quoted + ": must be relative (no leading '/')");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Error::invalid("target name: contains NUL or a control character");
    }
    if (c == '\\') return Error::invalid(quoted + ": contains a backslash");
  }
  size_t start = 0;
  while (start <= name.size()) {
    const size_t slash = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") {
      return Error::invalid(quoted + ": has an empty, '.' or '..' path component");
    }
    start = slash + 1;
  }
  return {};
}

Result<int64_t> parse_expires(std::string_view text, std::string_view where) {
  const Error bad = malformed(where, "expires must be \"YYYY-MM-DDTHH:MM:SSZ\" (UTC), not '" +
                                         std::string(text.substr(0, 40)) + "'");
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return bad;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != kShape[i]) return bad;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  if (num(0, 4) < 1970) return bad;  // before the Unix epoch: never a real expiry
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  const std::tm want = tm;
  const time_t t = timegm(&tm);
  // timegm normalizes (Feb 30 -> Mar 2): a changed field means the date did not exist.
  if (tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon || tm.tm_mday != want.tm_mday ||
      tm.tm_hour != want.tm_hour || tm.tm_min != want.tm_min || tm.tm_sec != want.tm_sec) {
    return bad;
  }
  return static_cast<int64_t>(t);
}

std::string format_expires(int64_t unix_seconds) { return rfc3339_utc(unix_seconds); }

Result<Envelope> parse_envelope(std::string_view bytes, Role expected, std::string_view file) {
  if (bytes.size() > kMaxMetadataBytes) return malformed(file, "larger than 16 MiB");
  Envelope e;
  e.file = file;
  e.role = expected;
  const std::string copy(bytes);  // parse(std::string): the instantiation the rest of edgeward shares
  const nlohmann::json doc = nlohmann::json::parse(copy, nullptr, false);
  if (doc.is_discarded()) return malformed(file, "not valid JSON");
  if (!doc.is_object()) return malformed(file, "must be a JSON object {\"signed\": ..., \"signatures\": [...]}");
  EW_ASSIGN(const nlohmann::json* sigs, fields::array(doc, "signatures", file));
  EW_ASSIGN(const nlohmann::json* sig, fields::object(doc, "signed", file));
  if (sigs->size() > kMaxSignatures) return malformed(file, "more than 256 signatures");
  const std::string where = std::string(file) + ": signatures";
  for (const auto& s : *sigs) {
    Signature out;
    EW_ASSIGN(out.keyid, fields::string(s, "keyid", where, 128));
    EW_ASSIGN(out.sig, fields::string(s, "sig", where, 1024));
    e.signatures.push_back(std::move(out));
  }
  const std::string sw = std::string(file) + ": signed";
  EW_ASSIGN(std::string type, fields::string(*sig, "_type", sw, 32));
  if (type != role_name(expected)) {
    return malformed(sw + "._type", "is '" + type + "', expected '" + std::string(role_name(expected)) + "'");
  }
  e.signed_part = *sig;
  auto canonical = canonical_json(e.signed_part);
  if (!canonical) return malformed(file, canonical.error().message);
  e.canonical_signed = std::move(*canonical);
  return e;
}

Result<Common> parse_common(const Envelope& e) {
  const std::string sw = e.file + ": signed";
  Common c;
  EW_ASSIGN(c.spec_version, fields::string(e.signed_part, "spec_version", sw, 32));
  // "1.<minor>" or "1.<minor>.<patch>": same major version as this implementation.
  const std::string& v = c.spec_version;
  size_t dots = 0;
  bool digits_ok = !v.empty() && v.front() != '.' && v.back() != '.' && v.find("..") == std::string::npos;
  for (char ch : v) {
    if (ch == '.') ++dots;
    else if (ch < '0' || ch > '9') digits_ok = false;
  }
  if (!digits_ok || !v.starts_with("1.") || dots < 1 || dots > 2) {
    return malformed(sw + ".spec_version", "is '" + v + "'; this client reads TUF 1.x metadata (\"1.0.x\")");
  }
  EW_ASSIGN(c.version, fields::uint(e.signed_part, "version", sw, 1, uint64_t{1} << 53));
  EW_ASSIGN(std::string expires, fields::string(e.signed_part, "expires", sw, 64));
  EW_ASSIGN(c.expires, parse_expires(expires, sw + ".expires"));
  return c;
}

namespace {

nlohmann::json common_json(Role role, const Common& c) {
  return {{"_type", role_name(role)}, {"spec_version", c.spec_version}, {"version", c.version},
          {"expires", format_expires(c.expires)}};
}

}  // namespace

nlohmann::json to_json(const MetaFile& m) {
  nlohmann::json j = {{"version", m.version}};
  if (m.length) j["length"] = *m.length;
  if (!m.hashes.empty()) j["hashes"] = m.hashes;
  return j;
}

nlohmann::json to_json(const Root& r) {
  nlohmann::json j = common_json(Role::kRoot, r.common);
  j["consistent_snapshot"] = r.consistent_snapshot;
  j["keys"] = nlohmann::json::object();
  for (const auto& [id, key] : r.keys) j["keys"][id] = key.object();
  for (const auto& [id, object] : r.unsupported_keys) j["keys"][id] = object;
  j["roles"] = nlohmann::json::object();
  for (const auto& [role, rk] : r.roles) {
    j["roles"][std::string(role_name(role))] = {{"keyids", rk.keyids}, {"threshold", rk.threshold}};
  }
  return j;
}

nlohmann::json to_json(const Targets& t) {
  nlohmann::json j = common_json(Role::kTargets, t.common);
  j["targets"] = nlohmann::json::object();
  for (const auto& [name, f] : t.targets) {
    nlohmann::json tf = {{"length", f.length}, {"hashes", f.hashes}};
    if (!f.custom.is_null()) tf["custom"] = f.custom;
    j["targets"][name] = std::move(tf);
  }
  return j;
}

nlohmann::json to_json(const Snapshot& s) {
  nlohmann::json j = common_json(Role::kSnapshot, s.common);
  j["meta"] = nlohmann::json::object();
  for (const auto& [name, m] : s.meta) j["meta"][name] = to_json(m);
  return j;
}

nlohmann::json to_json(const Timestamp& t) {
  nlohmann::json j = common_json(Role::kTimestamp, t.common);
  j["meta"] = {{"snapshot.json", to_json(t.snapshot)}};
  return j;
}

std::string envelope_text(const nlohmann::json& signed_part, const std::vector<Signature>& signatures) {
  nlohmann::json sigs = nlohmann::json::array();
  for (const Signature& s : signatures) sigs.push_back({{"keyid", s.keyid}, {"sig", s.sig}});
  const nlohmann::json doc = {{"signatures", std::move(sigs)}, {"signed", signed_part}};
  return doc.dump(1, ' ') + "\n";
}

}  // namespace edgeward::ota::tuf
