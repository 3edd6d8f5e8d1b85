// `ota repo show`: the published roles (version, expiry, keys, threshold), targets and what is
// staged but not yet published.
#include "ota/repo/staging.h"

namespace edgeward::ota::repo {

Result<nlohmann::json> describe(const std::string& dir) {
  const Layout l{dir};
  EW_ASSIGN(tuf::Root root, load_root(l));
  nlohmann::json out = {{"repository", dir}, {"consistent_snapshot", root.consistent_snapshot}};
  for (tuf::Role role : tuf::kAllRoles) {
    const std::string name = std::string(tuf::role_name(role));
    EW_ASSIGN(std::string text, read_metadata(l, name + ".json"));
    EW_ASSIGN(tuf::Envelope e, tuf::parse_envelope(text, role, l.metadata() + "/" + name + ".json"));
    EW_ASSIGN(tuf::Common c, tuf::parse_common(e));
    const tuf::RoleKeys& rk = root.roles.at(role);
    out["roles"][name] = {{"version", c.version}, {"expires", tuf::format_expires(c.expires)},
                          {"threshold", rk.threshold}, {"keyids", rk.keyids}};
  }
  EW_ASSIGN(std::string ttext, read_metadata(l, "targets.json"));
  EW_ASSIGN(tuf::Envelope te, tuf::parse_envelope(ttext, tuf::Role::kTargets, l.metadata() + "/targets.json"));
  EW_ASSIGN(tuf::Targets targets, tuf::parse_targets(te));
  out["targets"] = nlohmann::json::object();
  for (const auto& [name, f] : targets.targets) {
    out["targets"][name] = {{"length", f.length}, {"sha256", f.hashes.at("sha256")}, {"custom", f.custom}};
  }
  EW_ASSIGN(TargetMap staged, read_staged(l));
  out["staged_unpublished"] = nlohmann::json::array();
  for (const auto& [name, f] : staged) {
    auto it = targets.targets.find(name);
    if (it == targets.targets.end() || it->second.hashes != f.hashes || it->second.custom != f.custom) {
      out["staged_unpublished"].push_back(name);
    }
  }
  return out;
}

}  // namespace edgeward::ota::repo
