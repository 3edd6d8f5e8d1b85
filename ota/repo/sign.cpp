// Repository-side signing of metadata (see sign.h).
#include "ota/repo/sign.h"

#include <algorithm>

#include "ota/repo/layout.h"
#include "ota/tuf/canonical_json.h"
#include "ota/tuf/verify.h"

namespace edgeward::ota::repo {

Result<std::string> sign_metadata(const nlohmann::json& signed_part, const std::vector<tuf::SigningKey>& keys) {
  EW_ASSIGN(std::string canonical, tuf::canonical_json(signed_part));
  std::vector<tuf::Signature> sigs;
  for (const tuf::SigningKey& k : keys) {
    if (std::any_of(sigs.begin(), sigs.end(), [&](const tuf::Signature& s) { return s.keyid == k.keyid(); })) continue;
    EW_ASSIGN(std::string sig, k.sign_hex(canonical));
    sigs.push_back({k.keyid(), std::move(sig)});
  }
  return tuf::envelope_text(signed_part, sigs);
}

Result<std::vector<tuf::SigningKey>> keys_for(const tuf::Root& root, tuf::Role role,
                                              const std::vector<tuf::SigningKey>& available) {
  const tuf::RoleKeys& rk = root.roles.at(role);
  std::vector<tuf::SigningKey> out;
  for (const tuf::SigningKey& k : available) {
    if (std::find(rk.keyids.begin(), rk.keyids.end(), k.keyid()) != rk.keyids.end()) out.push_back(k);
  }
  if (out.size() < rk.threshold) {
    return Error::not_found("role " + std::string(tuf::role_name(role)) + ": " + std::to_string(out.size()) +
                            " of its keys are on disk, its threshold is " + std::to_string(rk.threshold) +
                            "; put the missing private keys under keys/" + std::string(tuf::role_name(role)) + "/");
  }
  return out;
}

Result<std::string> sign_role(const std::string& repo_dir, const tuf::Root& root, tuf::Role role,
                              const nlohmann::json& signed_part) {
  const Layout l{repo_dir};
  EW_ASSIGN(std::vector<tuf::SigningKey> disk, load_role_keys(l, role));
  EW_ASSIGN(std::vector<tuf::SigningKey> keys, keys_for(root, role, disk));
  EW_ASSIGN(std::string text, sign_metadata(signed_part, keys));
  const std::string name = std::string(tuf::role_name(role)) + ".json";
  EW_ASSIGN(tuf::Envelope e, tuf::parse_envelope(text, role, name));
  auto st = tuf::verify_role(e, root, role);
  if (!st) return Error::internal("the " + name + " just signed does not verify: " + st.error().message);
  return text;
}

}  // namespace edgeward::ota::repo
