// The daemon's OTA updater for real: a workload deployed with `ota install`, then started and kept
// by the daemon; newer images published to a TUF repository (file://) are found by the scheduled
// check, installed in the background, rolled out on probation and kept — or, when the new image
// fails, dropped with the reason and the old one started again, and never installed again.
#include <nlohmann/json.hpp>

#include "tests/runtime/daemon/daemon_harness.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::daemon {
namespace {

using testing::Harness;

class OtaUpdates : public ::testing::Test {
 protected:
  void SetUp() override {
    EW_SKIP_WITHOUT_SANDBOX();
    h_ = std::make_unique<Harness>();
    h_->make_pki_and_rootfs({{"/v1.sh", "#!/bin/sh\necho app v1\nexec sleep 1000\n"},
                             {"/v2.sh", "#!/bin/sh\necho app v2\nexec sleep 1000\n"},
                             {"/v3.sh", "#!/bin/sh\necho app v3 fails\nexit 3\n"}});
    repo_ = h_->dir() + "/repo";
    ASSERT_EQ(ota({"provision", "--version", "1", "--binary", EW_BINARY}).exit, 0);
    cli({"ota", "repo", "init", repo_});
    publish(1, "/bin/sh /v1.sh");
    ASSERT_EQ(ota({"trust", repo_ + "/metadata/1.root.json"}).exit, 0);
    auto in = ota({"install", "app.ewi", "--repo", "file://" + repo_});
    ASSERT_EQ(in.exit, 0) << in.err;
  }
  void TearDown() override {
    if (h_) h_->track("app");
    h_.reset();
  }

  void cli(const std::vector<std::string>& args) {
    auto r = h_->cli(args);
    ASSERT_EQ(r.exit, 0) << r.err;
  }
  // Image app.ewi version `v` (entry `entry`) published as the workload target app.ewi.
  void publish(int v, const std::string& entry) {
    const std::string image = h_->image("app-v" + std::to_string(v), entry);
    cli({"ota", "repo", "add", repo_, image, "--name", "app.ewi", "--kind", "workload", "--version", std::to_string(v)});
    cli({"ota", "repo", "publish", repo_});
  }
  testing::CliResult ota(std::vector<std::string> args) {
    std::vector<std::string> full{"ota", args[0], "--state", h_->dir() + "/ota", "--slot-a", h_->dir() + "/slot-a",
                                  "--slot-b", h_->dir() + "/slot-b"};
    full.insert(full.end(), args.begin() + 1, args.end());
    return h_->cli(full);
  }
  nlohmann::json status() { return nlohmann::json::parse(ota({"status", "--json"}).out, nullptr, false); }
  uint64_t current_version() {
    const auto s = status();
    const auto& c = s["workloads"]["app"]["current"];
    return c.is_object() ? c["version"].get<uint64_t>() : 0;
  }
  std::string running_image() {
    auto r = h_->cli({"inspect", "app", "--json"});
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_object() && j.value("status", "") == "running" ? j.value("image", "") : "";
  }
  void start_daemon() {
    h_->start_daemon({"--ota-state", h_->dir() + "/ota", "--slot-a", h_->dir() + "/slot-a", "--slot-b",
                      h_->dir() + "/slot-b", "--ota-repo", "file://" + repo_, "--ota-interval", "3s", "--ota-jitter",
                      "1s", "--ota-probation", "2s"});
  }

  std::unique_ptr<Harness> h_;
  std::string repo_;
};

TEST_F(OtaUpdates, NewerImagesAreInstalledInTheBackgroundKeptWhenHealthyDroppedWhenNot) {
  start_daemon();
  // The deployed image is started by the daemon and, once it stayed up, made current.
  ASSERT_TRUE(Harness::eventually([&] { return current_version() == 1; }, 30000)) << h_->daemon_log();
  EXPECT_NE(running_image().find(status()["workloads"]["app"]["current"]["sha256"].get<std::string>()), std::string::npos);

  publish(2, "/bin/sh /v2.sh");
  ASSERT_TRUE(Harness::eventually([&] { return current_version() == 2; }, 30000)) << h_->daemon_log();
  const std::string v2 = status()["workloads"]["app"]["current"]["sha256"];
  EXPECT_NE(running_image().find(v2), std::string::npos) << running_image();
  EXPECT_NE(h_->cli({"logs", "app"}).out.find("app v2"), std::string::npos);
  const auto st = status();
  EXPECT_EQ(st["floors"]["app.ewi"], 2);
  ASSERT_TRUE(st["updater"].is_object()) << st.dump();
  EXPECT_EQ(st["updater"]["repository"], "file://" + repo_);
  EXPECT_NE(ota({"status"}).out.find("updater: checked "), std::string::npos);
  const std::string log = h_->cli({"attest", "log", "--state", h_->state() + "/attest"}).out;
  EXPECT_NE(log.find(" workload app.ewi version 2 -> workload app"), std::string::npos) << "not measured: " << log;

  publish(3, "/bin/sh /v3.sh");
  ASSERT_TRUE(Harness::eventually([&] {
    return status()["last_event"].get<std::string>().find("dropped app.ewi version 3") != std::string::npos;
  }, 30000)) << h_->daemon_log();
  const std::string event = status()["last_event"];
  EXPECT_NE(event.find("status 3"), std::string::npos) << event;
  EXPECT_EQ(current_version(), 2u);
  ASSERT_TRUE(Harness::eventually([&] { return running_image().find(v2) != std::string::npos; }, 20000))
      << "the old image was not started again: " << h_->daemon_log();
  // The next checks do not install the failed image again.
  std::this_thread::sleep_for(std::chrono::seconds(5));
  EXPECT_TRUE(status()["workloads"]["app"]["pending"].is_null()) << status().dump();
  EXPECT_EQ(status()["updater"]["rejected"].size(), 1u);
}

}  // namespace
}  // namespace edgeward::daemon
