// Metadata parsing: round trips of the four roles, then hostile input refused with the file and
// field named (one line per case).
#include "ota/tuf/metadata.h"

#include "tests/ota/tuf/tuf_testing.h"

namespace edgeward::ota::tuf {
namespace {

using testing::kNow;
using testing::unwrap;

TEST(TufMetadata, TargetNames) {
  const struct {
    std::string name;
    bool ok;
  } cases[] = {
      {"", false},
      {"../etc/passwd", false},
      {"a/../../b", false},
      {"a/..", false},
      {"/abs", false},
      {"a//b", false},
      {"./a", false},
      {"a/", false},
      {std::string("a\0b", 3), false},
      {"a\nb", false},
      {"a\\..\\b", false},
      {std::string(256, 'a'), false},
      {"app.ewi", true},
      {"runtime/edgeward-x86_64", true},
      {"..hidden", true},
      {"a..b", true},
      {std::string(255, 'a'), true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(check_target_name(c.name).ok(), c.ok);
  }
}

TEST(TufMetadata, RoleNamesAreOnlyTheFourTopLevelRoles) {
  EXPECT_EQ(role_from_name("root"), Role::kRoot);
  EXPECT_EQ(role_from_name("timestamp"), Role::kTimestamp);
  for (const char* bad : {"../root", "root/..", "Root", "delegated", "", "targets.json", "/etc/passwd"}) {
    EXPECT_FALSE(role_from_name(bad).has_value()) << bad;
  }
}

TEST(TufMetadata, Expires) {
  EXPECT_EQ(unwrap(parse_expires("2030-01-01T00:00:00Z", "x")), 1893456000);
  EXPECT_EQ(format_expires(1893456000), "2030-01-01T00:00:00Z");
  EXPECT_EQ(unwrap(parse_expires("9999-12-31T23:59:59Z", "x")), 253402300799);
  for (const char* bad : {"2030-02-30T00:00:00Z", "2030-01-01T00:00:00", "2030-01-01 00:00:00Z", "2030-01-01T24:00:00Z",
                          "2030-1-01T00:00:00Z", "2030-01-01T00:00:00+00:00", "2030-01-01T00:00:00.5Z", "0330-12-11T00:32:43Z", "1969-12-31T23:59:59Z", ""}) {
    EXPECT_FALSE(parse_expires(bad, "x").ok()) << bad;
  }
}

TEST(TufMetadata, RootRoundTrip) {
  testing::Repo repo(2, 2);
  const std::string text = repo.root_text();
  const Root r = unwrap(parse_root(testing::envelope(text, Role::kRoot)));
  EXPECT_EQ(r.common.version, 1u);
  EXPECT_EQ(r.common.expires, kNow + 365 * testing::kDay);
  EXPECT_TRUE(r.consistent_snapshot);
  EXPECT_EQ(r.keys.size(), 8u);
  EXPECT_EQ(r.roles.at(Role::kTargets).threshold, 2u);
  EXPECT_EQ(r.roles.at(Role::kTargets).keyids, repo.root.roles.at(Role::kTargets).keyids);
  EXPECT_EQ(to_json(r), to_json(repo.root));
}

TEST(TufMetadata, OtherRolesRoundTrip) {
  Targets t;
  t.common = {kSpecVersion, 3, kNow + 100};
  t.targets["runtime/edgeward"] = {42, {{"sha256", std::string(64, 'a')}}, {{"kind", "runtime"}, {"version", 7}}};
  const Targets t2 = unwrap(parse_targets(testing::envelope(envelope_text(to_json(t), {}), Role::kTargets)));
  EXPECT_EQ(to_json(t2), to_json(t));
  EXPECT_EQ(t2.targets.at("runtime/edgeward").custom["version"], 7);

  Snapshot s;
  s.common = {kSpecVersion, 4, kNow + 100};
  s.meta["targets.json"] = {3, 1234, {{"sha256", std::string(64, 'b')}}};
  EXPECT_EQ(to_json(unwrap(parse_snapshot(testing::envelope(envelope_text(to_json(s), {}), Role::kSnapshot)))), to_json(s));

  Timestamp ts;
  ts.common = {kSpecVersion, 5, kNow + 100};
  ts.snapshot = {4, std::nullopt, {}};
  const Timestamp ts2 = unwrap(parse_timestamp(testing::envelope(envelope_text(to_json(ts), {}), Role::kTimestamp)));
  EXPECT_EQ(ts2.snapshot.version, 4u);
  EXPECT_FALSE(ts2.snapshot.length.has_value());
}

// A valid signed part of `role` with `patch` merged in (JSON merge patch: null deletes a field).
std::string patched(Role role, const nlohmann::json& patch) {
  nlohmann::json s;
  switch (role) {
    case Role::kRoot: s = to_json(testing::Repo().root); break;
    case Role::kTargets: {
      Targets t;
      t.common.expires = kNow;
      t.targets["a"] = {1, {{"sha256", std::string(64, 'a')}}, nullptr};
      s = to_json(t);
      break;
    }
    case Role::kSnapshot: {
      Snapshot sn;
      sn.common.expires = kNow;
      sn.meta["targets.json"] = {1, std::nullopt, {}};
      s = to_json(sn);
      break;
    }
    case Role::kTimestamp: {
      Timestamp t;
      t.common.expires = kNow;
      s = to_json(t);
      break;
    }
  }
  if (!patch.is_null()) s.merge_patch(patch);
  return nlohmann::json{{"signed", s}, {"signatures", nlohmann::json::array()}}.dump();
}

Status parse_as(Role role, const std::string& text) {
  auto e = parse_envelope(text, role, std::string(role_name(role)) + ".json");
  if (!e) return std::move(e).error();
  switch (role) {
    case Role::kRoot: { auto r = parse_root(*e); return r ? Status{} : std::move(r).error(); }
    case Role::kTargets: { auto r = parse_targets(*e); return r ? Status{} : std::move(r).error(); }
    case Role::kSnapshot: { auto r = parse_snapshot(*e); return r ? Status{} : std::move(r).error(); }
    case Role::kTimestamp: { auto r = parse_timestamp(*e); return r ? Status{} : std::move(r).error(); }
  }
  return {};
}

TEST(TufMetadata, HostileInputRefused) {
  using J = nlohmann::json;
  const struct {
    const char* name;
    Role role;
    std::string text;
    const char* says;  // part of the error message
  } cases[] = {
      {"not json", Role::kRoot, "{", "not valid JSON"},
      {"not an object", Role::kRoot, "[]", "must be a JSON object"},
      {"no signatures", Role::kRoot, R"({"signed": {}})", "signatures: is missing"},
      {"signatures not array", Role::kRoot, R"({"signed": {}, "signatures": {}})", "must be an array"},
      {"signature keyid not string", Role::kRoot, R"({"signed": {}, "signatures": [{"keyid": 1, "sig": "00"}]})", "keyid"},
      {"wrong _type", Role::kTargets, patched(Role::kRoot, {}), "_type: is 'root', expected 'targets'"},
      {"float in signed", Role::kTimestamp, patched(Role::kTimestamp, {{"x", 1.5}}), "floating-point"},
      {"version 0", Role::kTimestamp, patched(Role::kTimestamp, {{"version", 0}}), "signed.version"},
      {"version negative", Role::kTimestamp, patched(Role::kTimestamp, {{"version", -1}}), "signed.version"},
      {"version string", Role::kTimestamp, patched(Role::kTimestamp, {{"version", "2"}}), "signed.version"},
      {"version float", Role::kTimestamp, patched(Role::kTimestamp, {{"version", 2.0}}), "floating-point"},
      {"spec_version 2", Role::kTimestamp, patched(Role::kTimestamp, {{"spec_version", "2.0.0"}}), "spec_version"},
      {"spec_version junk", Role::kTimestamp, patched(Role::kTimestamp, {{"spec_version", "1.x"}}), "spec_version"},
      {"expires missing", Role::kTimestamp, patched(Role::kTimestamp, {{"expires", nullptr}}), "expires: is missing"},
      {"expires local time", Role::kTimestamp, patched(Role::kTimestamp, {{"expires", "2030-01-01T00:00:00+01:00"}}), "expires"},
      {"threshold 0", Role::kRoot, patched(Role::kRoot, {{"roles", {{"root", {{"threshold", 0}}}}}}), "threshold"},
      {"role keyid not declared", Role::kRoot, patched(Role::kRoot, {{"roles", {{"root", {{"keyids", {"ab"}}}}}}}), "not in signed.keys"},
      {"role path traversal", Role::kRoot, patched(Role::kRoot, {{"roles", {{"../../etc/passwd", {{"keyids", J::array()}, {"threshold", 1}}}}}}), "unknown role"},
      {"role missing", Role::kRoot, patched(Role::kRoot, {{"roles", {{"timestamp", nullptr}}}}), "'timestamp' is missing"},
      {"consistent_snapshot string", Role::kRoot, patched(Role::kRoot, {{"consistent_snapshot", "yes"}}), "consistent_snapshot"},
      {"target traversal", Role::kTargets, patched(Role::kTargets, {{"targets", {{"../../x", {{"length", 1}, {"hashes", {{"sha256", std::string(64, 'a')}}}}}}}}), "'..' path component"},
      {"target absolute", Role::kTargets, patched(Role::kTargets, {{"targets", {{"/etc/x", {{"length", 1}, {"hashes", {{"sha256", std::string(64, 'a')}}}}}}}}), "leading '/'"},
      {"target no sha256", Role::kTargets, patched(Role::kTargets, {{"targets", {{"a", {{"hashes", {{"sha256", nullptr}, {"sha512", std::string(128, 'a')}}}}}}}}), "must include sha256"},
      {"target hash not hex", Role::kTargets, patched(Role::kTargets, {{"targets", {{"a", {{"hashes", {{"sha256", std::string(64, 'g')}}}}}}}}), "hex"},
      {"target length negative", Role::kTargets, patched(Role::kTargets, {{"targets", {{"a", {{"length", -1}}}}}}), "length"},
      {"target custom not object", Role::kTargets, patched(Role::kTargets, {{"targets", {{"a", {{"custom", "x"}}}}}}), "custom"},
      {"delegations", Role::kTargets, patched(Role::kTargets, {{"delegations", {{"keys", J::object()}}}}), "delegat"},
      {"snapshot meta path", Role::kSnapshot, patched(Role::kSnapshot, {{"meta", {{"../x.json", {{"version", 1}}}}}}), "not a role file name"},
      {"snapshot no targets", Role::kSnapshot, patched(Role::kSnapshot, {{"meta", {{"targets.json", nullptr}}}}), "no targets.json"},
      {"timestamp extra meta", Role::kTimestamp, patched(Role::kTimestamp, {{"meta", {{"x.json", {{"version", 1}}}}}}), "exactly one entry"},
      {"timestamp meta version 0", Role::kTimestamp, patched(Role::kTimestamp, {{"meta", {{"snapshot.json", {{"version", 0}}}}}}), "snapshot.json.version"},
      {"timestamp meta length string", Role::kTimestamp, patched(Role::kTimestamp, {{"meta", {{"snapshot.json", {{"length", "9"}}}}}}), "length"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto st = parse_as(c.role, c.text);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find(c.says), std::string::npos) << st.error().message;
    EXPECT_TRUE(st.error().message.starts_with(std::string(role_name(c.role)) + ".json")) << st.error().message;
  }
}

TEST(TufMetadata, OversizedFileRefused) {
  const std::string big(kMaxMetadataBytes + 1, ' ');
  auto e = parse_envelope(big, Role::kRoot, "root.json");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("larger than"), std::string::npos);
}

TEST(TufMetadata, UnsupportedKeysAreLeftOutNotFatal) {
  nlohmann::json root = to_json(testing::Repo().root);
  root["keys"]["feed"] = {{"keytype", "rsa"}, {"scheme", "rsassa-pss-sha256"}, {"keyval", {{"public", "x"}}}};
  root["roles"]["targets"]["keyids"].push_back("feed");
  const std::string text = nlohmann::json{{"signed", root}, {"signatures", nlohmann::json::array()}}.dump();
  const Root r = unwrap(parse_root(testing::envelope(text, Role::kRoot)));
  EXPECT_EQ(r.keys.count("feed"), 0u);
  EXPECT_EQ(r.roles.at(Role::kTargets).keyids.size(), 2u);
  EXPECT_EQ(to_json(r), root);  // written back as it was
}

}  // namespace
}  // namespace edgeward::ota::tuf
