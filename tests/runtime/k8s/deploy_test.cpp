// The shipped deploy/k8s files, checked for real: the example pod is admitted on the board it
// targets and rejected elsewhere (naming the label); the RuntimeClass names edgeward's handler,
// its scheduling.nodeSelector is satisfied by every board edgeward ships, and its overhead parses.
#include <gtest/gtest.h>

#include <string>

#include "common/board/embedded_boards.h"
#include "runtime/k8s/admission.h"
#include "runtime/k8s/json_fields.h"
#include "runtime/k8s/pod_parser.h"
#include "runtime/k8s/quantity.h"
#include "runtime/k8s/selector.h"

namespace edgeward::k8s {
namespace {

const std::string kDir = EW_DEPLOY_K8S_DIR;

board::Board must_board(const std::string& name) {
  auto b = board::resolve_board(name);
  EXPECT_TRUE(b.ok()) << name;
  return b.ok() ? *b : board::Board{};
}

TEST(DeployK8s, ExamplePodIsRejectedOnOtherBoardsNamingTheLabel) {
  auto pod = load_pod_file(kDir + "/example-pod.yaml");
  ASSERT_TRUE(pod.ok()) << pod.error().message;
  const board::Board jetson = must_board("jetson-orin-nano");
  const Admission a = admit(*pod, jetson);
  ASSERT_FALSE(a.admitted());
  ASSERT_EQ(a.rejections.size(), 1u) << a.explain(jetson);
  EXPECT_EQ(a.rejections[0].path, "spec.nodeSelector[\"edgeward.io/board\"]");
  EXPECT_EQ(a.rejections[0].reason, "wants \"rpi4\", node has \"jetson-orin-nano\"");
  const Admission x86 = admit(*pod, must_board("generic-x86_64"));
  EXPECT_EQ(x86.rejections.size(), 2u);  // board and arch
}

TEST(DeployK8s, ExamplePodIsAdmittedOnItsBoard) {
  auto pod = load_pod_file(kDir + "/example-pod.yaml");
  ASSERT_TRUE(pod.ok()) << pod.error().message;
  const board::Board rpi4 = must_board("rpi4");
  const Admission a = admit(*pod, rpi4);
  ASSERT_TRUE(a.admitted()) << a.explain(rpi4);
  ASSERT_EQ(a.containers.size(), 1u);
  EXPECT_EQ(a.containers[0].workload_name, "edge_sensor-reader_reader");
}

TEST(DeployK8s, RuntimeClassTargetsEveryShippedBoard) {
  auto rc = load_manifest_file(kDir + "/runtimeclass.yaml");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ((*rc)["apiVersion"], "node.k8s.io/v1");
  EXPECT_EQ((*rc)["kind"], "RuntimeClass");
  EXPECT_EQ((*rc)["handler"], kRuntimeHandler);
  EXPECT_EQ((*rc)["metadata"]["name"], kRuntimeHandler);  // what pods put in runtimeClassName
  auto selector = read_string_map((*rc)["scheduling"]["nodeSelector"], "scheduling.nodeSelector", 64);
  ASSERT_TRUE(selector.ok()) << selector.error().message;
  ASSERT_FALSE(selector->empty());
  for (const board::EmbeddedBoard& e : board::embedded_boards()) {
    const board::Board b = must_board(std::string(e.name));
    const auto misses = node_selector_mismatches(*selector, "scheduling.nodeSelector", b);
    EXPECT_TRUE(misses.empty()) << e.name << ": " << (misses.empty() ? "" : misses[0].path + " " + misses[0].reason);
  }
  // ... and not a node without edgeward's edge labels.
  board::Board plain = must_board("generic-x86_64");
  plain.labels.clear();
  EXPECT_FALSE(node_selector_mismatches(*selector, "scheduling.nodeSelector", plain).empty());
}

TEST(DeployK8s, RuntimeClassOverheadIsValid) {
  auto rc = load_manifest_file(kDir + "/runtimeclass.yaml");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  const Json& fixed = (*rc)["overhead"]["podFixed"];
  for (const char* resource : {"memory", "cpu"}) {
    ASSERT_TRUE(fixed.contains(resource)) << resource;
    auto q = parse_quantity_milli(fixed[resource].get<std::string>());
    ASSERT_TRUE(q.ok()) << q.error().message;
    EXPECT_GT(*q, 0);
  }
}

}  // namespace
}  // namespace edgeward::k8s
