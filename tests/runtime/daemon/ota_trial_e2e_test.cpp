// An OTA runtime update settled for real: a device provisioned and updated through a TUF
// repository (`ota repo` / `ota install`), the daemon started by `ota boot` from the slot on trial,
// and the canary — a signed image run through the daemon — deciding: exit 0 marks the slot good
// (the daemon does it itself), a failing canary rolls the slot back and stops the daemon, and
// `ota mark-good` refuses to mark anything while its health check fails.
#include <nlohmann/json.hpp>

#include "tests/runtime/daemon/daemon_harness.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::daemon {
namespace {

using testing::Harness;

class OtaTrial : public ::testing::Test {
 protected:
  void SetUp() override {
    EW_SKIP_WITHOUT_SANDBOX();
    h_ = std::make_unique<Harness>();
    h_->make_pki_and_rootfs({{"/ok.sh", "#!/bin/sh\necho canary ok\n"}, {"/bad.sh", "#!/bin/sh\nexit 3\n"}});
    good_ = h_->image("canary", "/bin/sh /ok.sh");
    bad_ = h_->image("bad-canary", "/bin/sh /bad.sh");
    // A device on slot A, then the "new" runtime (this build) installed into slot B on trial.
    const std::string repo = h_->dir() + "/repo";
    ASSERT_EQ(ota({"provision", "--version", "1", "--binary", EW_BINARY}).exit, 0);
    for (auto args : std::vector<std::vector<std::string>>{
             {"ota", "repo", "init", repo},
             {"ota", "repo", "add", repo, EW_BINARY, "--name", "rt", "--kind", "runtime", "--version", "2"},
             {"ota", "repo", "publish", repo}}) {
      auto r = h_->cli(args);
      ASSERT_EQ(r.exit, 0) << r.err;
    }
    ASSERT_EQ(ota({"trust", repo + "/metadata/1.root.json"}).exit, 0);
    auto in = ota({"install", "rt", "--repo", "file://" + repo});
    ASSERT_EQ(in.exit, 0) << in.err;
    ASSERT_EQ(status()["trial"], "B");
  }
  void TearDown() override { h_.reset(); }

  std::vector<std::string> layout() const {
    return {"--slot-a", h_->dir() + "/slot-a", "--slot-b", h_->dir() + "/slot-b"};
  }
  // `edgeward ota COMMAND` on this device's directories, then `args`.
  testing::CliResult ota(std::vector<std::string> args) {
    std::vector<std::string> full{"ota", args[0], "--state", h_->dir() + "/ota"};
    for (const auto& a : layout()) full.push_back(a);
    full.insert(full.end(), args.begin() + 1, args.end());
    return h_->cli(full);
  }
  nlohmann::json status() {
    auto r = ota({"status", "--json"});
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  // `edgeward ota boot -- daemon ...`: the daemon runs from the slot the boot picks.
  void boot_daemon(std::vector<std::string> extra) {
    std::vector<std::string> launcher{EW_BINARY, "ota", "boot", "--state", h_->dir() + "/ota"};
    for (const auto& a : layout()) launcher.push_back(a);
    launcher.insert(launcher.end(), {"--", "daemon", "--ota-state", h_->dir() + "/ota"});
    for (const auto& a : layout()) launcher.push_back(a);
    h_->start_daemon(std::move(extra), launcher);
  }

  std::unique_ptr<Harness> h_;
  std::string good_, bad_;
};

TEST_F(OtaTrial, TheDaemonMarksTheSlotGoodOnceTheCanaryExitsZero) {
  boot_daemon({"--canary", good_});
  ASSERT_TRUE(Harness::eventually([&] { return status()["active"] == "B"; }, 60000)) << h_->daemon_log();
  const auto st = status();
  EXPECT_TRUE(st["trial"].is_null());
  EXPECT_EQ(st["floors"]["rt"], 2);
  const std::string log = h_->daemon_log();
  EXPECT_NE(log.find("OTA: health check passed (the canary " + good_ + " exited 0"), std::string::npos) << log;
  EXPECT_NE(log.find("marked slot B good"), std::string::npos) << log;
  auto ps = h_->cli({"ps", "--json"});
  EXPECT_EQ(ps.out.find("ota-canary"), std::string::npos) << "the canary was left behind: " << ps.out;
}

TEST_F(OtaTrial, AFailingCanaryRollsTheSlotBackAndStopsTheDaemon) {
  boot_daemon({"--canary", bad_});
  const int code = h_->wait_daemon(60000);
  EXPECT_EQ(code, 1) << h_->daemon_log();
  const auto st = status();
  EXPECT_EQ(st["active"], "A");
  EXPECT_TRUE(st["trial"].is_null());
  EXPECT_EQ(st["next_start"], "A");
  const std::string event = st["last_event"];
  EXPECT_NE(event.find("rolled back from slot B (rt version 2): health check failed: the canary " + bad_ +
                       " exited with status 3"), std::string::npos) << event;
  EXPECT_NE(h_->daemon_log().find("the next `edgeward ota boot` starts the slot known good"), std::string::npos)
      << h_->daemon_log();
}

TEST_F(OtaTrial, MarkGoodByHandRunsTheHealthCheckFirst) {
  boot_daemon({});  // no canary configured: the daemon leaves the trial to the operator
  ASSERT_TRUE(Harness::eventually([&] { return h_->daemon_log().find("waiting for `edgeward ota mark-good`") != std::string::npos; }))
      << h_->daemon_log();
  auto bad = ota({"mark-good", "--canary", bad_});
  EXPECT_EQ(bad.exit, 1) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("not marked good: the health check failed: the canary " + bad_ + " exited with status 3"),
            std::string::npos) << bad.err;
  EXPECT_EQ(status()["trial"], "B") << "a failed health check changed the state";
  auto none = ota({"mark-good"});
  EXPECT_EQ(none.exit, 1);
  EXPECT_NE(none.err.find("no canary image configured"), std::string::npos) << none.err;
  auto good = ota({"mark-good", "--canary", good_, "--json"});
  ASSERT_EQ(good.exit, 0) << good.out << good.err;
  const auto j = nlohmann::json::parse(good.out, nullptr, false);
  EXPECT_EQ(j["health_check"]["healthy"], true) << good.out;
  EXPECT_EQ(status()["active"], "B");
}

}  // namespace
}  // namespace edgeward::daemon
