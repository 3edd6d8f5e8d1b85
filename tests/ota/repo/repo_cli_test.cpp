// `edgeward ota repo ...` through the real binary: files and modes, versions, signatures
// checked with the client-side verify layer and independently with openssl, rotation, refusals,
// and a failed publish that leaves the published metadata untouched.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "attest/crypto/sha256.h"
#include "ota/tuf/verify.h"
#include "tests/ota/tuf/tuf_testing.h"

namespace edgeward::ota::tuf {
namespace {

namespace fs = std::filesystem;
using testing::slurp;
using testing::unwrap;

struct CliRun {
  int exit_code;
  std::string out;
};

CliRun run(const std::string& args) {
  const std::string cmd = std::string(EW_EDGEWARD) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

class OtaRepoCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("ew-ota-repo-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string meta(const std::string& name) const { return slurp(dir_ + "/metadata/" + name); }

  // What a device client does from a trusted root: timestamp -> snapshot -> targets -> files.
  Targets verify_chain(const Root& root) {
    const std::string ts_text = meta("timestamp.json");
    const Envelope tse = unwrap(parse_envelope(ts_text, Role::kTimestamp, "timestamp.json"));
    EXPECT_TRUE(verify_role(tse, root, Role::kTimestamp).ok());
    const Timestamp ts = unwrap(parse_timestamp(tse));
    EXPECT_TRUE(check_expiry(ts.common, std::time(nullptr), "timestamp").ok());
    const std::string sn_text = meta(std::to_string(ts.snapshot.version) + ".snapshot.json");
    const Envelope sne = unwrap(parse_envelope(sn_text, Role::kSnapshot, "snapshot.json"));
    EXPECT_TRUE(verify_role(sne, root, Role::kSnapshot).ok());
    const Snapshot sn = unwrap(parse_snapshot(sne));
    EXPECT_TRUE(check_snapshot_against_timestamp(ts, sn_text, sn).ok());
    const std::string t_text = meta(std::to_string(sn.meta.at("targets.json").version) + ".targets.json");
    const Envelope te = unwrap(parse_envelope(t_text, Role::kTargets, "targets.json"));
    EXPECT_TRUE(verify_role(te, root, Role::kTargets).ok());
    Targets t = unwrap(parse_targets(te));
    EXPECT_TRUE(check_targets_against_snapshot(sn, t_text, t).ok());
    for (const auto& [name, f] : t.targets) {
      // Consistent-snapshot name: <dirs>/<sha256>.<basename>.
      const size_t slash = name.rfind('/');
      const std::string dirs = slash == std::string::npos ? "" : name.substr(0, slash + 1);
      const std::string path = dir_ + "/targets/" + dirs + f.hashes.at("sha256") + "." + name.substr(dirs.size());
      const std::string bytes = slurp(path);
      EXPECT_TRUE(check_target_file(f, std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), name).ok())
          << path;
    }
    return t;
  }

  std::string dir_;
};

TEST_F(OtaRepoCli, Refusals) {
  ASSERT_EQ(run("ota repo init " + dir_).exit_code, 0);
  const std::string file = std::string(EW_OTA_TEST_DIR) + "/CMakeLists.txt";
  const struct {
    const char* name;
    std::string args;
    int exit_code;
    const char* says;
  } cases[] = {
      {"init twice", "ota repo init " + dir_, 2, "already a repository"},
      {"init threshold > keys", "ota repo init " + dir_ + "-x --threshold root=2", 2, "threshold 2 is more than"},
      {"init bad duration", "ota repo init " + dir_ + "-x --expires root=10q", 2, "duration '10q'"},
      {"init unknown role", "ota repo init " + dir_ + "-x --expires ../root=1d", 2, "unknown role"},
      {"add traversal", "ota repo add " + dir_ + " " + file + " --name ../evil", 2, "'..' path component"},
      {"add absolute", "ota repo add " + dir_ + " " + file + " --name /etc/evil", 2, "leading '/'"},
      {"add bad kind", "ota repo add " + dir_ + " " + file + " --name a --kind kernel", 2, "--kind"},
      {"add missing file", "ota repo add " + dir_ + " /nonexistent --name a", 3, "/nonexistent: cannot open"},
      {"release unknown member", "ota repo add " + dir_ + " --name r --kind release --member nope", 3, "not a staged target"},
      {"rotate traversal role", "ota repo rotate " + dir_ + " --role ../../x", 2, "--role"},
      {"publish not a repository", "ota repo publish " + dir_ + "-none", 3, "ota repo init"},
      {"refresh bad duration", "ota repo refresh " + dir_ + " --expires 5", 2, "duration"},
      {"unknown option", "ota repo publish " + dir_ + " --force", 2, "unknown option"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CliRun r = run(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.out;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << r.out;
  }
  EXPECT_FALSE(fs::exists(dir_ + "/targets/.incoming.tmp"));
  fs::remove_all(dir_ + "-x");
}

TEST_F(OtaRepoCli, Help) {
  for (const char* c : {"init", "add", "publish", "refresh", "rotate", "show"}) {
    const CliRun r = run(std::string("ota repo ") + c + " --help");
    EXPECT_EQ(r.exit_code, 0) << c;
    EXPECT_NE(r.out.find("usage: edgeward ota repo"), std::string::npos) << r.out;
  }
}

TEST_F(OtaRepoCli, InitAddPublishRefreshRotate) {
  // init: keys 0600 in 0700 directories, root v1 and empty v1 targets/snapshot/timestamp.
  CliRun r = run("ota repo init " + dir_ + " --keys targets=2 --threshold targets=2 --expires timestamp=2h --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto created = nlohmann::json::parse(r.out);
  EXPECT_EQ(created["roles"]["targets"]["threshold"], 2);
  EXPECT_EQ(created["roles"]["targets"]["keyids"].size(), 2u);
  EXPECT_EQ(created["roles"]["timestamp"]["version"], 1);
  EXPECT_EQ(mode_of(dir_ + "/keys"), 0700u);
  for (Role role : kAllRoles) {
    const std::string kd = dir_ + "/keys/" + std::string(role_name(role));
    EXPECT_EQ(mode_of(kd), 0700u) << kd;
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(kd)) {
      EXPECT_EQ(mode_of(e.path().string()), 0600u) << e.path();
      ++n;
    }
    EXPECT_EQ(n, role == Role::kTargets ? 2u : 1u) << kd;
  }
  for (const char* f : {"1.root.json", "root.json", "1.targets.json", "targets.json", "1.snapshot.json",
                        "snapshot.json", "timestamp.json"}) {
    EXPECT_TRUE(fs::exists(dir_ + "/metadata/" + f)) << f;
  }
  EXPECT_EQ(meta("1.root.json"), meta("root.json"));
  const Envelope re1 = unwrap(parse_envelope(meta("root.json"), Role::kRoot, "root.json"));
  const Root root1 = unwrap(parse_root(re1));
  EXPECT_TRUE(verify_role(re1, root1, Role::kRoot).ok());
  EXPECT_TRUE(root1.consistent_snapshot);
  EXPECT_EQ(root1.roles.at(Role::kTargets).threshold, 2u);
  EXPECT_TRUE(verify_chain(root1).targets.empty());
  const Timestamp ts1 = unwrap(parse_timestamp(unwrap(parse_envelope(meta("timestamp.json"), Role::kTimestamp, "t"))));
  EXPECT_LE(ts1.common.expires, std::time(nullptr) + 2 * 3600);

  // add: a runtime, a workload, and a release made of both.
  const std::string payload = dir_ + "-payload";
  std::ofstream(payload) << "runtime bytes\n";
  r = run("ota repo add " + dir_ + " " + payload + " --name runtime/edgeward --kind runtime --board rpi4 --arch aarch64 --version 7 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto added = nlohmann::json::parse(r.out);
  const std::string sha = attest::to_hex(attest::sha256(std::string_view("runtime bytes\n")));
  EXPECT_EQ(added["sha256"], sha);
  EXPECT_EQ(added["custom"], nlohmann::json::parse(R"({"kind":"runtime","board":"rpi4","arch":"aarch64","version":7})"));
  EXPECT_TRUE(fs::exists(dir_ + "/targets/runtime/" + sha + ".edgeward"));
  ASSERT_EQ(run("ota repo add " + dir_ + " " + std::string(EW_OTA_TEST_DIR) + "/CMakeLists.txt --name app.ewi --no-chunks").exit_code, 0);
  r = run("ota repo add " + dir_ + " --name release-1 --kind release --member app.ewi --version 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("exactly one runtime member"), std::string::npos) << r.out;
  r = run("ota repo add " + dir_ + " --name release-1 --kind release --member runtime/edgeward --member app.ewi");
  EXPECT_NE(r.out.find("needs --version N"), std::string::npos) << r.out;
  r = run("ota repo add " + dir_ + " --name release-1 --kind release --member runtime/edgeward --member app.ewi --version 1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  fs::remove(payload);

  // publish: v2 of targets, snapshot, timestamp; the chain verifies; the release lists its members.
  r = run("ota repo publish " + dir_ + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out), nlohmann::json::parse(R"({"targets":2,"snapshot":2,"timestamp":2,"target_count":3,"collected":[]})"));
  Targets t = verify_chain(root1);
  ASSERT_EQ(t.targets.size(), 3u);
  const auto& members = t.targets.at("release-1").custom["members"];
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0]["name"], "runtime/edgeward");  // in --member order
  EXPECT_EQ(members[0]["sha256"], sha);
  EXPECT_EQ(members[1]["name"], "app.ewi");
  EXPECT_EQ(meta("2.targets.json"), meta("targets.json"));

  // The ECDSA signature is standard: openssl verifies it over the canonical bytes with the PEM key.
  {
    const Envelope e = unwrap(parse_envelope(meta("timestamp.json"), Role::kTimestamp, "timestamp.json"));
    const std::string keyid = e.signatures.at(0).keyid;
    std::ofstream(dir_ + "-pub.pem") << root1.keys.at(keyid).object()["keyval"]["public"].get<std::string>();
    std::ofstream(dir_ + "-msg", std::ios::binary) << e.canonical_signed;
    std::ofstream(dir_ + "-sig", std::ios::binary) << [&] {
      auto der = attest::bytes_from_hex(e.signatures.at(0).sig);
      return std::string(der->begin(), der->end());
    }();
    const std::string ossl = "openssl dgst -sha256 -verify " + dir_ + "-pub.pem -signature " + dir_ + "-sig ";
    EXPECT_EQ(std::system((ossl + dir_ + "-msg > /dev/null").c_str()), 0);
    std::ofstream(dir_ + "-msg", std::ios::app) << " ";
    EXPECT_NE(std::system((ossl + dir_ + "-msg > /dev/null 2>&1").c_str()), 0);
    for (const char* s : {"-pub.pem", "-msg", "-sig"}) fs::remove(dir_ + s);
  }

  // refresh: timestamp alone moves.
  r = run("ota repo refresh " + dir_ + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["timestamp"], 3);
  EXPECT_FALSE(fs::exists(dir_ + "/metadata/3.snapshot.json"));
  verify_chain(root1);

  // rotate timestamp: root v2 signed by the old root key; old key retired; a client on root 1
  // accepts root 2, and the new timestamp verifies under root 2 only.
  r = run("ota repo rotate " + dir_ + " --role timestamp --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto rot = nlohmann::json::parse(r.out);
  EXPECT_EQ(rot["root"], 2);
  const std::string old_ts_key = root1.roles.at(Role::kTimestamp).keyids.at(0);
  EXPECT_EQ(rot["retired_keyids"][0], old_ts_key);
  EXPECT_TRUE(fs::exists(dir_ + "/keys/retired/timestamp-" + old_ts_key + ".pem"));
  EXPECT_FALSE(fs::exists(dir_ + "/keys/timestamp/" + old_ts_key + ".pem"));
  const Root root2 = unwrap(verify_root_update(root1, meta("2.root.json"), "2.root.json"));
  EXPECT_TRUE(must_forget_after_rotation(root1, root2, Role::kTimestamp));
  EXPECT_FALSE(must_forget_after_rotation(root1, root2, Role::kTargets));
  verify_chain(root2);
  const Envelope tse = unwrap(parse_envelope(meta("timestamp.json"), Role::kTimestamp, "timestamp.json"));
  EXPECT_FALSE(verify_role(tse, root1, Role::kTimestamp).ok());

  // rotate root: root v3 signed by the old and the new root keys; root 1 cannot skip to 3.
  r = run("ota repo rotate " + dir_ + " --role root");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const Root root3 = unwrap(verify_root_update(root2, meta("3.root.json"), "3.root.json"));
  EXPECT_FALSE(verify_root_update(root1, meta("3.root.json"), "3.root.json").ok());
  EXPECT_EQ(unwrap(parse_envelope(meta("3.root.json"), Role::kRoot, "r")).signatures.size(), 2u);
  verify_chain(root3);

  // show --json agrees.
  r = run("ota repo show " + dir_ + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto shown = nlohmann::json::parse(r.out);
  EXPECT_EQ(shown["roles"]["root"]["version"], 3);
  EXPECT_EQ(shown["targets"].size(), 3u);
  EXPECT_TRUE(shown["staged_unpublished"].empty());
}

TEST_F(OtaRepoCli, FailedPublishChangesNothing) {
  ASSERT_EQ(run("ota repo init " + dir_).exit_code, 0);
  ASSERT_EQ(run("ota repo add " + dir_ + " " + std::string(EW_OTA_TEST_DIR) + "/CMakeLists.txt --name a").exit_code, 0);
  // The snapshot key goes missing: targets could be signed, snapshot cannot.
  fs::rename(dir_ + "/keys/snapshot", dir_ + "/keys/snapshot.away");
  const std::string before_targets = meta("targets.json"), before_ts = meta("timestamp.json");
  const CliRun r = run("ota repo publish " + dir_);
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("keys/snapshot"), std::string::npos) << r.out;
  EXPECT_EQ(meta("targets.json"), before_targets);
  EXPECT_EQ(meta("timestamp.json"), before_ts);
  EXPECT_FALSE(fs::exists(dir_ + "/metadata/2.targets.json"));
  fs::rename(dir_ + "/keys/snapshot.away", dir_ + "/keys/snapshot");
  EXPECT_EQ(run("ota repo publish " + dir_).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir_ + "/metadata/2.targets.json"));
}

}  // namespace
}  // namespace edgeward::ota::tuf
