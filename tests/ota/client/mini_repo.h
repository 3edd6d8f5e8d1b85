// A TUF repository written by the test itself (keys and signing from tests/ota/tuf/tuf_testing.h)
// into a directory served as file://, so a client test can publish any version of any role, rotate
// keys, and expire or replay files at will.
#pragma once

#include <filesystem>
#include <string>

#include "attest/crypto/sha256.h"
#include "tests/ota/tuf/tuf_testing.h"

namespace edgeward::ota::client::testing {

using namespace tuf;
using tuf::testing::kDay;
using tuf::testing::kNow;

struct MiniRepo {
  std::string dir;
  tuf::testing::Repo keys;

  explicit MiniRepo(std::string d) : dir(std::move(d)) {
    std::filesystem::create_directories(dir + "/metadata");
    write("1.root.json", keys.root_text());
  }
  std::string url() const { return "file://" + dir; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir + "/metadata/" + name, std::ios::binary) << text;
  }
  static MetaFile meta_of(uint64_t version, const std::string& text) {
    return MetaFile{version, text.size(), {{"sha256", attest::to_hex(attest::sha256(text))}}};
  }
  // Signs and writes targets `tg`, snapshot `sn` and timestamp `ts` (timestamp.json and
  // <sn>.snapshot.json, <tg>.targets.json), each expiring at `expires`.
  void publish(uint64_t ts, uint64_t sn, uint64_t tg, int64_t expires = kNow + 30 * kDay) const {
    Targets t;
    t.common = {kSpecVersion, tg, expires};
    t.targets["app.ewi"] = TargetFile{3, {{"sha256", attest::to_hex(attest::sha256(std::string("abc")))}},
                                      {{"kind", "workload"}, {"version", tg}}};
    const std::string t_text = tuf::testing::sign(to_json(t), keys.signers(Role::kTargets));
    write(std::to_string(tg) + ".targets.json", t_text);
    Snapshot s;
    s.common = {kSpecVersion, sn, expires};
    s.meta["targets.json"] = meta_of(tg, t_text);
    const std::string s_text = tuf::testing::sign(to_json(s), keys.signers(Role::kSnapshot));
    write(std::to_string(sn) + ".snapshot.json", s_text);
    Timestamp m;
    m.common = {kSpecVersion, ts, expires};
    m.snapshot = meta_of(sn, s_text);
    write("timestamp.json", tuf::testing::sign(to_json(m), keys.signers(Role::kTimestamp)));
  }
  // New keys for `role`: root N+1 signed by the old root keys (and the new ones for root).
  void rotate(Role role) {
    std::vector<SigningKey> old_root = keys.keys.at(Role::kRoot);
    keys.keys[role] = {tuf::testing::new_key()};
    keys.root.keys.emplace(keys.keys[role][0].keyid(), keys.keys[role][0].public_key());
    keys.root.roles[role].keyids = {keys.keys[role][0].keyid()};
    keys.root.common.version += 1;
    std::vector<const SigningKey*> signers;
    for (const auto& k : old_root) signers.push_back(&k);
    if (role == Role::kRoot) signers.push_back(&keys.keys[role][0]);
    write(std::to_string(keys.root.common.version) + ".root.json", tuf::testing::sign(to_json(keys.root), signers));
  }
};

}  // namespace edgeward::ota::client::testing
