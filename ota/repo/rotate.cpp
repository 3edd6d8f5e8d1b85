// `ota repo rotate`: new keys for one role, root N+1 signed by the old root keys (and the new
// ones when the root role itself rotates), old private keys moved to keys/retired/.
#include "ota/repo/sign.h"
#include "ota/repo/staging.h"
#include "ota/tuf/verify.h"

namespace edgeward::ota::repo {

Result<Rotated> rotate(const std::string& dir, tuf::Role role, const Lifetimes& lifetimes, int64_t now) {
  const Layout l{dir};
  EW_ASSIGN(tuf::Root old_root, load_root(l));
  EW_ASSIGN(std::vector<tuf::SigningKey> disk_root_keys, load_role_keys(l, tuf::Role::kRoot));
  EW_ASSIGN(std::vector<tuf::SigningKey> signers, keys_for(old_root, tuf::Role::kRoot, disk_root_keys));

  Rotated out;
  tuf::Root next = old_root;
  next.common.spec_version = tuf::kSpecVersion;
  next.common.version = old_root.common.version + 1;
  next.common.expires = now + lifetimes.at(tuf::Role::kRoot);
  out.retired_keyids = old_root.roles.at(role).keyids;
  std::vector<tuf::SigningKey> fresh;
  next.roles[role].keyids.clear();
  for (size_t i = 0; i < out.retired_keyids.size(); ++i) {
    EW_ASSIGN(tuf::SigningKey k, tuf::SigningKey::generate());
    next.roles[role].keyids.push_back(k.keyid());
    out.new_keyids.push_back(k.keyid());
    fresh.push_back(std::move(k));
  }
  // "keys" holds exactly the keys some role lists.
  next.keys.clear();
  for (const auto& [r, rk] : next.roles) {
    for (const std::string& id : rk.keyids) {
      auto old_key = old_root.keys.find(id);
      if (old_key != old_root.keys.end()) {
        next.keys.emplace(id, old_key->second);
        continue;
      }
      for (const tuf::SigningKey& k : fresh) {
        if (k.keyid() == id) next.keys.emplace(id, k.public_key());
      }
    }
  }
  if (role == tuf::Role::kRoot) signers.insert(signers.end(), fresh.begin(), fresh.end());
  EW_ASSIGN(std::string text, sign_metadata(tuf::to_json(next), signers));
  // What a client will check: signed by a threshold of the old root and of the new one, N+1.
  const std::string name = std::to_string(next.common.version) + ".root.json";
  auto checked = tuf::verify_root_update(old_root, text, name);
  if (!checked) return Error::internal("the new " + name + " does not verify: " + checked.error().message);

  // New keys first: until root.json names them they are unused, so a crash here changes nothing.
  for (const tuf::SigningKey& k : fresh) EW_TRY(save_key(l, role, k));
  EW_TRY(write_metadata(l, name, text));
  EW_TRY(write_metadata(l, "root.json", text));
  out.root_version = next.common.version;
  EW_ASSIGN(std::vector<tuf::SigningKey> on_disk, load_role_keys(l, role));
  for (const std::string& id : out.retired_keyids) {
    for (const tuf::SigningKey& k : on_disk) {
      if (k.keyid() == id) EW_TRY(retire_key(l, role, id));
    }
  }
  // Metadata signed by retired keys no longer verifies under root N+1: sign it again.
  if (role != tuf::Role::kRoot) {
    EW_ASSIGN(out.republished, publish_with_root(l, checked.value(), lifetimes, now));
  }
  return out;
}

}  // namespace edgeward::ota::repo
