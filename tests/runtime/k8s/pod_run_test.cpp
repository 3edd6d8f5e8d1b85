// The pod pipeline with a fake launcher: nothing starts unless admitted, containers start in
// order, and a failed launch removes what was already started (newest first).
#include "runtime/k8s/pod_run.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/board/embedded_boards.h"
#include "runtime/k8s/pod_parser.h"

namespace edgeward::k8s {
namespace {

class FakeLauncher final : public PodLauncher {
 public:
  std::string fail_on;  // container name whose launch fails
  bool fail_remove = false;
  std::vector<std::string> log;  // "launch X" / "remove X", in order
  std::vector<AdmittedContainer> seen;

  Result<LaunchedContainer> launch(const AdmittedContainer& c) override {
    log.push_back("launch " + c.container_name);
    seen.push_back(c);
    if (c.container_name == fail_on) return Error::io("image " + c.image + " is unreadable");
    return LaunchedContainer{c.workload_name, "id-" + c.container_name, std::string(backend_name(c.backend))};
  }
  Status remove(const LaunchedContainer& c) override {
    log.push_back("remove " + c.workload_name);
    if (fail_remove) return Error::io("busy");
    return {};
  }
};

Admission admitted(const std::string& board_name) {
  const std::string yaml = R"(apiVersion: v1
kind: Pod
metadata: {name: trio, annotations: {edgeward.io/backend: sandbox}}
spec:
  runtimeClassName: edgeward
  containers:
    - {name: a, image: a.ewi, command: [/bin/a], args: [x]}
    - {name: b, image: ewi://b}
    - {name: c, image: c.ewi}
)";
  auto pod = parse_pod(yaml, "trio.yaml");
  EXPECT_TRUE(pod.ok());
  auto node = board::resolve_board(board_name);
  EXPECT_TRUE(node.ok());
  return admit(*pod, *node);
}

TEST(PodRun, RefusesAPodThatWasNotAdmitted) {
  Admission a = admitted("rpi4");
  a.rejections.push_back({"spec.nodeSelector[\"x\"]", "wants \"y\""});
  FakeLauncher fake;
  auto r = launch_pod(a, fake);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("was not admitted; nothing launched"), std::string::npos);
  EXPECT_TRUE(fake.log.empty());
}

TEST(PodRun, FailedLaunchRemovesStartedContainersNewestFirst) {
  FakeLauncher fake;
  fake.fail_on = "c";
  auto r = launch_pod(admitted("rpi4"), fake);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_NE(r.error().message.find("pod default/trio: container c: image c.ewi is unreadable"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("(2 started container(s) removed again)"), std::string::npos);
  const std::vector<std::string> want{"launch a", "launch b", "launch c", "remove default_trio_b",
                                      "remove default_trio_a"};
  EXPECT_EQ(fake.log, want);
}

TEST(PodRun, FailedRemovalIsReported) {
  FakeLauncher fake;
  fake.fail_on = "b";
  fake.fail_remove = true;
  auto r = launch_pod(admitted("rpi4"), fake);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("removing the already started default_trio_a failed: busy"), std::string::npos)
      << r.error().message;
}

TEST(PodRun, LaunchesEveryContainerInOrder) {
  FakeLauncher fake;
  auto r = launch_pod(admitted("jetson-orin-nano"), fake);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].id, "id-b");
  EXPECT_EQ((*r)[1].detail, "sandbox");
  ASSERT_EQ(fake.seen.size(), 3u);
  EXPECT_EQ(fake.seen[0].command, std::vector<std::string>{"/bin/a"});
  EXPECT_EQ(fake.seen[0].args, std::vector<std::string>{"x"});
  EXPECT_EQ(fake.seen[1].image_kind, ImageKind::kName);
  EXPECT_EQ(fake.seen[2].workload_name, "default_trio_c");
}

}  // namespace
}  // namespace edgeward::k8s
