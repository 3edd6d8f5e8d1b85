// The client-workflow checks: thresholds (each key counted once), root rotation, expiry,
// rollback of every role, snapshot/timestamp/targets consistency, fast-forward recovery.
#include "ota/tuf/verify.h"

#include "attest/crypto/sha256.h"
#include "tests/ota/tuf/tuf_testing.h"

namespace edgeward::ota::tuf {
namespace {

using testing::kDay;
using testing::kNow;
using testing::Repo;
using testing::sign;
using testing::unwrap;

Targets some_targets(uint64_t version) {
  Targets t;
  t.common = {kSpecVersion, version, kNow + 30 * kDay};
  t.targets["app"] = {5, {{"sha256", attest::to_hex(attest::sha256(std::string_view("hello")))}}, nullptr};
  return t;
}

TEST(TufVerify, Thresholds) {
  Repo repo(3, 2);  // every role: 3 keys, threshold 2
  const nlohmann::json t = to_json(some_targets(1));
  const auto& k = repo.keys.at(Role::kTargets);
  const SigningKey stranger = testing::new_key();
  const auto& snap = repo.keys.at(Role::kSnapshot);
  const struct {
    const char* name;
    std::vector<const SigningKey*> signers;
    bool ok;
  } cases[] = {
      {"no signature", {}, false},
      {"one of three (below threshold)", {&k[0]}, false},
      {"same key twice counts once", {&k[0], &k[0]}, false},
      {"same key three times counts once", {&k[1], &k[1], &k[1]}, false},
      {"unknown key ignored", {&k[0], &stranger}, false},
      {"another role's key ignored", {&k[0], &snap[0]}, false},
      {"two of three", {&k[0], &k[2]}, true},
      {"three of three", {&k[0], &k[1], &k[2]}, true},
      {"unknown keys do not spoil a met threshold", {&stranger, &k[1], &snap[0], &k[2]}, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Envelope e = testing::envelope(sign(t, c.signers), Role::kTargets);
    auto st = verify_role(e, repo.root, Role::kTargets);
    EXPECT_EQ(st.ok(), c.ok) << (st.ok() ? "" : st.error().message);
    if (!st.ok()) {
      EXPECT_EQ(st.error().code, ErrorCode::kPermission);
    }
  }
}

TEST(TufVerify, DuplicateKeyidsInRoleCountOnce) {
  Repo repo;
  const SigningKey& k = repo.keys.at(Role::kTargets)[0];
  const Envelope e = testing::envelope(sign(to_json(some_targets(1)), {&k, &k}), Role::kTargets);
  RoleKeys twice{{k.keyid(), k.keyid()}, 2};
  EXPECT_FALSE(verify_threshold(e, repo.root.keys, twice, "targets").ok());
  RoleKeys once{{k.keyid()}, 1};
  EXPECT_TRUE(verify_threshold(e, repo.root.keys, once, "targets").ok());
}

TEST(TufVerify, OneKeyUnderTwoKeyidsCountsOnce) {
  Repo repo;
  const SigningKey& k = repo.keys.at(Role::kTargets)[0];
  std::map<std::string, PublicKey> keys = repo.root.keys;
  // The same public key again under another keyid (with keyid_hash_algorithms, as older repos write).
  nlohmann::json alias = k.public_key().object();
  alias["keyid_hash_algorithms"] = {"sha256"};
  const PublicKey aliased = unwrap(PublicKey::parse(alias, "", "alias"));
  ASSERT_NE(aliased.keyid(), k.keyid());
  keys.emplace(aliased.keyid(), aliased);
  const std::string canon = unwrap(canonical_json(to_json(some_targets(1))));
  const std::string sig = unwrap(k.sign_hex(canon));
  const std::string text = envelope_text(to_json(some_targets(1)), {{k.keyid(), sig}, {aliased.keyid(), sig}});
  const Envelope e = testing::envelope(text, Role::kTargets);
  EXPECT_FALSE(verify_threshold(e, keys, RoleKeys{{k.keyid(), aliased.keyid()}, 2}, "targets").ok());
  EXPECT_TRUE(verify_threshold(e, keys, RoleKeys{{k.keyid(), aliased.keyid()}, 1}, "targets").ok());
  // An Ed25519 key spelled in upper-case hex is the same key too.
  const PublicKey lower = unwrap(PublicKey::parse(
      {{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", std::string(64, 'a')}}}}, "", "a"));
  const PublicKey upper = unwrap(PublicKey::parse(
      {{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", std::string(64, 'A')}}}}, "", "b"));
  EXPECT_NE(lower.keyid(), upper.keyid());
  EXPECT_EQ(lower.material(), upper.material());
}

TEST(TufVerify, ThresholdZeroRefused) {
  Repo repo;
  const Envelope e = testing::envelope(sign(to_json(some_targets(1)), repo.signers(Role::kTargets)), Role::kTargets);
  RoleKeys zero{repo.root.roles.at(Role::kTargets).keyids, 0};
  auto st = verify_threshold(e, repo.root.keys, zero, "targets");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("threshold 0"), std::string::npos);
}

TEST(TufVerify, TamperedSignedPartRefused) {
  Repo repo;
  std::string text = sign(to_json(some_targets(1)), repo.signers(Role::kTargets));
  const size_t at = text.find("\"length\": 5");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 11, "\"length\": 6");
  EXPECT_FALSE(verify_role(testing::envelope(text, Role::kTargets), repo.root, Role::kTargets).ok());
}

TEST(TufVerify, RootRotation) {
  Repo old_repo(2, 2);
  Repo new_keys(2, 2);
  Root next = old_repo.root;
  next.common.version = 2;
  next.keys.clear();
  for (Role r : kAllRoles) {
    const Root& src = r == Role::kRoot ? new_keys.root : old_repo.root;
    next.roles[r] = src.roles.at(r);
    for (const auto& id : src.roles.at(r).keyids) next.keys.emplace(id, src.keys.at(id));
  }
  auto old_k = old_repo.signers(Role::kRoot);
  auto new_k = new_keys.signers(Role::kRoot);
  auto both = old_k;
  both.insert(both.end(), new_k.begin(), new_k.end());
  auto with_version = [&](uint64_t v) {
    Root r = next;
    r.common.version = v;
    return to_json(r);
  };
  const struct {
    const char* name;
    nlohmann::json signed_part;
    std::vector<const SigningKey*> signers;
    const char* says;  // nullptr: accepted
  } cases[] = {
      {"only the old keys", with_version(2), old_k, "its own root keys"},
      {"only the new keys", with_version(2), new_k, "trusted root's keys"},
      {"one old + two new (old threshold 2)", with_version(2), {old_k[0], new_k[0], new_k[1]}, "trusted root's keys"},
      {"version N+2", with_version(3), both, "exactly +1"},
      {"version N (replay)", with_version(1), both, "exactly +1"},
      {"both thresholds, N+1", with_version(2), both, nullptr},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = verify_root_update(old_repo.root, sign(c.signed_part, c.signers), "2.root.json");
    if (!c.says) {
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ(r->common.version, 2u);
      continue;
    }
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
}

TEST(TufVerify, Expiry) {
  Common c{kSpecVersion, 1, kNow};
  EXPECT_FALSE(check_expiry(c, kNow, "timestamp").ok());  // expires == now: expired
  EXPECT_FALSE(check_expiry(c, kNow + 1, "timestamp").ok());
  EXPECT_TRUE(check_expiry(c, kNow - 1, "timestamp").ok());
  EXPECT_NE(check_expiry(c, kNow, "timestamp").error().message.find("expired"), std::string::npos);
}

TEST(TufVerify, RollbackOfEachRoleRefused) {
  // root: covered by RootRotation (N and N-1 refused). Plain version checks:
  for (Role r : kAllRoles) {
    SCOPED_TRACE(role_name(r));
    EXPECT_FALSE(check_version(5, 4, true, role_name(r)).ok());
    EXPECT_TRUE(check_version(5, 5, true, role_name(r)).ok());
    EXPECT_FALSE(check_version(5, 5, false, role_name(r)).ok());
    EXPECT_TRUE(check_version(5, 6, false, role_name(r)).ok());
  }
  // timestamp: its version, and the snapshot version it names.
  Timestamp ts;
  ts.common.version = 5;
  ts.snapshot.version = 9;
  Timestamp older = ts;
  older.common.version = 4;
  Timestamp older_snapshot = ts;
  older_snapshot.common.version = 6;
  older_snapshot.snapshot.version = 8;
  EXPECT_TRUE(check_timestamp_update(std::nullopt, older).ok());
  EXPECT_FALSE(check_timestamp_update(ts, older).ok());
  EXPECT_FALSE(check_timestamp_update(ts, older_snapshot).ok());
  Timestamp newer = ts;
  newer.common.version = 6;
  newer.snapshot.version = 10;
  EXPECT_TRUE(check_timestamp_update(ts, newer).ok());
  // snapshot: its version, the targets version it names, entries that disappear.
  Snapshot s;
  s.common.version = 7;
  s.meta["targets.json"] = {3, std::nullopt, {}};
  Snapshot s_old = s;
  s_old.common.version = 6;
  Snapshot s_old_targets = s;
  s_old_targets.common.version = 8;
  s_old_targets.meta["targets.json"].version = 2;
  Snapshot s_ok = s;
  s_ok.common.version = 8;
  s_ok.meta["targets.json"].version = 4;
  EXPECT_FALSE(check_snapshot_update(s, s_old).ok());
  EXPECT_FALSE(check_snapshot_update(s, s_old_targets).ok());
  EXPECT_TRUE(check_snapshot_update(s, s_ok).ok());
  Snapshot with_extra = s;
  with_extra.meta["other.json"] = {1, std::nullopt, {}};
  EXPECT_FALSE(check_snapshot_update(with_extra, s_ok).ok());  // other.json disappeared
}

TEST(TufVerify, SnapshotAgainstTimestamp) {
  Snapshot s;
  s.common = {kSpecVersion, 4, kNow + kDay};
  s.meta["targets.json"] = {2, std::nullopt, {}};
  const std::string bytes = envelope_text(to_json(s), {});
  Timestamp ts;
  ts.snapshot = {4, bytes.size(), {{"sha256", attest::to_hex(attest::sha256(bytes))}}};
  EXPECT_TRUE(check_snapshot_against_timestamp(ts, bytes, s).ok());
  Timestamp bad_hash = ts;
  bad_hash.snapshot.hashes["sha256"] = std::string(64, '0');
  EXPECT_FALSE(check_snapshot_against_timestamp(bad_hash, bytes, s).ok());
  Timestamp bad_len = ts;
  bad_len.snapshot.length = bytes.size() + 1;
  EXPECT_FALSE(check_snapshot_against_timestamp(bad_len, bytes, s).ok());
  Timestamp bad_version = ts;
  bad_version.snapshot.version = 5;
  EXPECT_FALSE(check_snapshot_against_timestamp(bad_version, bytes, s).ok());
  Timestamp version_only = ts;  // length and hashes are optional in the timestamp's entry
  version_only.snapshot.length.reset();
  version_only.snapshot.hashes.clear();
  EXPECT_TRUE(check_snapshot_against_timestamp(version_only, bytes + " ", s).ok());
}

TEST(TufVerify, TargetsAgainstSnapshot) {
  const Targets t = some_targets(3);
  const std::string bytes = envelope_text(to_json(t), {});
  Snapshot s;
  s.meta["targets.json"] = {3, bytes.size(), {{"sha256", attest::to_hex(attest::sha256(bytes))}}};
  EXPECT_TRUE(check_targets_against_snapshot(s, bytes, t).ok());
  EXPECT_FALSE(check_targets_against_snapshot(s, bytes + "\n", t).ok());
  Snapshot v4 = s;
  v4.meta["targets.json"].version = 4;
  v4.meta["targets.json"].hashes.clear();
  v4.meta["targets.json"].length.reset();
  EXPECT_FALSE(check_targets_against_snapshot(v4, bytes, t).ok());  // rollback / freeze
}

TEST(TufVerify, TargetFile) {
  const TargetFile f = some_targets(1).targets.at("app");
  const std::string good = "hello", evil = "hellp", longer = "hello!";
  auto span = [](const std::string& s) { return std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()); };
  EXPECT_TRUE(check_target_file(f, span(good), "app").ok());
  EXPECT_FALSE(check_target_file(f, span(evil), "app").ok());
  EXPECT_FALSE(check_target_file(f, span(longer), "app").ok());
}

TEST(TufVerify, FastForwardRecovery) {
  Repo a;
  Root b = a.root;
  EXPECT_FALSE(must_forget_after_rotation(a.root, b, Role::kTimestamp));
  b.roles[Role::kTimestamp].keyids = {testing::new_key().keyid()};
  EXPECT_TRUE(must_forget_after_rotation(a.root, b, Role::kTimestamp));
  EXPECT_FALSE(must_forget_after_rotation(a.root, b, Role::kSnapshot));
  Root c = a.root;
  c.roles[Role::kSnapshot].threshold = 2;
  EXPECT_TRUE(must_forget_after_rotation(a.root, c, Role::kSnapshot));
}

}  // namespace
}  // namespace edgeward::ota::tuf
