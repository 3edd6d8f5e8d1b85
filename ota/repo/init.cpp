// `ota repo init`: keys for every role and the first root, targets, snapshot and timestamp.
#include <unistd.h>

#include "ota/repo/layout.h"
#include "ota/repo/repo.h"
#include "ota/repo/sign.h"
#include "ota/repo/staging.h"

namespace edgeward::ota::repo {

Status init(const std::string& dir, const InitOptions& opt, int64_t now) {
  const Layout l{dir};
  if (::access((l.metadata() + "/root.json").c_str(), F_OK) == 0) {
    return Error::invalid(dir + ": already a repository (metadata/root.json exists); use publish, refresh or rotate");
  }
  tuf::Root root;
  root.common.version = 1;
  root.common.expires = now + opt.lifetimes.at(tuf::Role::kRoot);
  root.consistent_snapshot = true;
  std::map<tuf::Role, std::vector<tuf::SigningKey>> keys;
  for (tuf::Role role : tuf::kAllRoles) {
    const uint32_t count = opt.keys.count(role) ? opt.keys.at(role) : 1;
    const uint32_t threshold = opt.threshold.count(role) ? opt.threshold.at(role) : 1;
    if (threshold > count) {
      return Error::invalid("role " + std::string(tuf::role_name(role)) + ": threshold " + std::to_string(threshold) +
                            " is more than its " + std::to_string(count) + " key(s); raise --keys " +
                            std::string(tuf::role_name(role)) + "=N");
    }
    tuf::RoleKeys rk;
    rk.threshold = threshold;
    for (uint32_t i = 0; i < count; ++i) {
      EW_ASSIGN(tuf::SigningKey k, tuf::SigningKey::generate());
      rk.keyids.push_back(k.keyid());
      root.keys.emplace(k.keyid(), k.public_key());
      keys[role].push_back(std::move(k));
    }
    root.roles[role] = std::move(rk);
  }
  EW_ASSIGN(std::string root_text, sign_metadata(tuf::to_json(root), keys[tuf::Role::kRoot]));

  EW_TRY(make_dir(dir, 0755));
  for (const auto& [role, ks] : keys) {
    for (const tuf::SigningKey& k : ks) EW_TRY(save_key(l, role, k));
  }
  EW_TRY(make_dir(l.metadata(), 0755));
  EW_TRY(make_dir(l.targets(), 0755));
  EW_TRY(make_dir(l.staging(), 0700));
  EW_TRY(write_staged(l, {}));
  // root.json last: until it exists the directory is not a repository, and init may be re-run.
  EW_TRY(write_metadata(l, "1.root.json", root_text));
  auto first = publish_with_root(l, root, opt.lifetimes, now);
  if (!first) return std::move(first).error();
  return write_metadata(l, "root.json", root_text);
}

}  // namespace edgeward::ota::repo
