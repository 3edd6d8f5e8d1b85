// `edgeward pod run` against a real daemon: an admitted pod's containers run as daemon workloads
// (verified, measured, logged); a refused or half-startable pod leaves nothing running.
#include <nlohmann/json.hpp>

#include "tests/runtime/daemon/daemon_harness.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::daemon {
namespace {

using testing::Harness;

std::string pod_yaml(const std::string& name, const std::string& containers) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
         "\nspec:\n  runtimeClassName: edgeward\n  restartPolicy: Never\n  nodeSelector:\n"
         "    node-role.kubernetes.io/edge: \"\"\n  containers:\n" +
         containers;
}

class PodRun : public ::testing::Test {
 protected:
  void SetUp() override {
    EW_SKIP_WITHOUT_SANDBOX();
    h_ = std::make_unique<Harness>();
    h_->make_pki_and_rootfs({{"/hello.sh", "#!/bin/sh\necho hello from a pod\n"}});
    h_->image("hello", "/bin/sh /hello.sh");
    h_->start_daemon();
  }
  void TearDown() override { h_.reset(); }

  std::string write_pod(const std::string& file, const std::string& yaml) {
    const std::string path = h_->dir() + "/" + file;
    std::ofstream(path) << yaml;
    return path;
  }
  size_t workloads() {
    const auto ps = nlohmann::json::parse(h_->cli({"ps", "--json"}).out, nullptr, false);
    return ps.is_array() ? ps.size() : 999;
  }

  std::unique_ptr<Harness> h_;
};

TEST_F(PodRun, OverridingTheSignedEntryIsRefusedAndNothingRuns) {
  const auto pod = write_pod("cmd.yaml", pod_yaml("cmd", "    - name: c\n      image: hello.ewi\n"
                                                         "      command: [\"/bin/sh\", \"-c\", \"cat /etc/shadow\"]\n"));
  auto r = h_->cli({"pod", "run", pod});
  EXPECT_EQ(r.exit, 2) << r.err;
  EXPECT_NE(r.err.find("container c: 'command' cannot override a signed image's entry"), std::string::npos) << r.err;
  EXPECT_EQ(workloads(), 0u);
}

TEST_F(PodRun, WithoutADaemonNothingStartsAndTheErrorSaysWhy) {
  h_->stop_daemon();
  const auto pod = write_pod("hello.yaml", pod_yaml("hello", "    - name: web\n      image: hello.ewi\n"));
  auto r = h_->cli({"pod", "run", pod});
  EXPECT_EQ(r.exit, 1) << r.err;
  EXPECT_NE(r.err.find(h_->socket()), std::string::npos) << r.err;
}

TEST_F(PodRun, APodThatCannotStartWhollyIsRolledBack) {
  // The first container starts, the second's image is missing: the first is removed again.
  const auto pod = write_pod("half.yaml", pod_yaml("half", "    - name: first\n      image: hello.ewi\n"
                                                           "    - name: second\n      image: missing.ewi\n"));
  auto r = h_->cli({"pod", "run", pod});
  EXPECT_EQ(r.exit, 3) << r.err;
  EXPECT_NE(r.err.find("container second: image " + h_->dir() + "/missing.ewi not found"), std::string::npos) << r.err;
  EXPECT_EQ(workloads(), 0u) << h_->cli({"ps"}).out;
}

TEST_F(PodRun, AdmittedContainersRunUnderTheDaemon) {
  const auto pod = write_pod("hello.yaml", pod_yaml("hello", "    - name: web\n      image: hello.ewi\n"));
  auto r = h_->cli({"pod", "run", pod, "--json"});
  h_->track("default_hello_web");
  ASSERT_EQ(r.exit, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  ASSERT_EQ(j["launched"].size(), 1u) << r.out;
  EXPECT_EQ(j["launched"][0].value("workload_name", ""), "default_hello_web") << r.out;
  EXPECT_TRUE(Harness::eventually([&] { return h_->cli({"logs", "default_hello_web"}).out == "hello from a pod\n"; }))
      << h_->cli({"logs", "default_hello_web"}).out << h_->daemon_log();
  const auto w = nlohmann::json::parse(h_->cli({"inspect", "default_hello_web", "--json"}).out, nullptr, false);
  EXPECT_EQ(w.value("restart", ""), "no");
  EXPECT_EQ(w.value("backend", ""), "sandbox");
}

}  // namespace
}  // namespace edgeward::daemon
