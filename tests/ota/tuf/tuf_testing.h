// Shared fixtures for the ota/tuf tests: a repository's worth of keys and metadata built in
// memory (root, targets, snapshot, timestamp), and helpers to sign and re-sign them.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ota/tuf/canonical_json.h"
#include "ota/tuf/keys.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::tuf::testing {

constexpr int64_t kNow = 1800000000;  // 2027-01-15
constexpr int64_t kDay = 86400;

template <typename T>
T unwrap(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) std::abort();
  return std::move(r).value();
}

// The whole file (empty when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

inline SigningKey new_key() { return unwrap(SigningKey::generate()); }

// Signs `signed_part` with `keys` (in order, duplicates kept) and returns the file text.
inline std::string sign(const nlohmann::json& signed_part, const std::vector<const SigningKey*>& keys) {
  const std::string canon = unwrap(canonical_json(signed_part));
  std::vector<Signature> sigs;
  for (const SigningKey* k : keys) sigs.push_back({k->keyid(), unwrap(k->sign_hex(canon))});
  return envelope_text(signed_part, sigs);
}

inline Envelope envelope(const std::string& text, Role role) {
  return unwrap(parse_envelope(text, role, std::string(role_name(role)) + ".json"));
}

// A root giving each role its own keys (count and threshold per role).
struct Repo {
  std::map<Role, std::vector<SigningKey>> keys;
  Root root;

  explicit Repo(uint32_t keys_per_role = 1, uint32_t threshold = 1, uint64_t version = 1) {
    root.common = {kSpecVersion, version, kNow + 365 * kDay};
    for (Role r : kAllRoles) {
      RoleKeys rk;
      rk.threshold = threshold;
      for (uint32_t i = 0; i < keys_per_role; ++i) {
        keys[r].push_back(new_key());
        rk.keyids.push_back(keys[r].back().keyid());
        root.keys.emplace(keys[r].back().keyid(), keys[r].back().public_key());
      }
      root.roles[r] = rk;
    }
  }
  std::vector<const SigningKey*> signers(Role r, size_t n = 99) const {
    std::vector<const SigningKey*> out;
    for (const auto& k : keys.at(r)) {
      if (out.size() < n) out.push_back(&k);
    }
    return out;
  }
  std::string root_text() const { return sign(to_json(root), signers(Role::kRoot)); }
};

}  // namespace edgeward::ota::tuf::testing
