// Admission against real board labels: every rejection names the field, what it wants and what
// the node has (error cases first), then admitted pods and what their containers get.
#include "runtime/k8s/admission.h"

#include <gtest/gtest.h>

#include <string>

#include "common/board/embedded_boards.h"
#include "runtime/k8s/pod_parser.h"

namespace edgeward::k8s {
namespace {

board::Board must_board(const std::string& name) {
  auto b = board::resolve_board(name);
  EXPECT_TRUE(b.ok()) << name;
  return b.ok() ? *b : board::Board{};
}

Pod must_pod(const std::string& yaml) {
  auto p = parse_pod(yaml, "pod.yaml");
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return p.ok() ? *p : Pod{};
}

// A pod admitted on rpi4; `spec_extra` goes under spec:, `container_extra` under the container.
std::string pod(const std::string& spec_extra, const std::string& container_extra = "",
                const std::string& meta_extra = "") {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" + meta_extra +
         "spec:\n"
         "  runtimeClassName: edgeward\n" +
         spec_extra +
         "  containers:\n"
         "    - name: c\n"
         "      image: c.ewi\n" +
         container_extra;
}

std::string with_image(const std::string& image) {
  std::string s = pod("");
  s.replace(s.find("c.ewi"), 5, image);
  return s;
}

struct RejectCase {
  const char* name;
  std::string yaml;
  const char* board;
  std::string field;   // the rejection's path
  const char* reason;  // substring of its reason
};

TEST(Admission, RejectsWithFieldAndNodeValue) {
  const std::string affinity =
      "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "        nodeSelectorTerms:\n          - matchExpressions:\n              - ";
  const std::string terms_path =
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";
  const RejectCase cases[] = {
      {"no runtimeClassName",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: c.ewi}]\n", "rpi4",
       "spec.runtimeClassName", "not set; edgeward runs only pods with runtimeClassName: edgeward"},
      {"wrong runtimeClassName",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata\n"
       "  containers: [{name: c, image: c.ewi}]\n",
       "rpi4", "spec.runtimeClassName", "\"kata\" is not edgeward's handler \"edgeward\""},
      {"missing label", pod("  nodeSelector: {edgeward.io/soc: bcm2711}\n"), "jetson-orin-nano",
       "spec.nodeSelector[\"edgeward.io/soc\"]", "wants \"bcm2711\", node has no label \"edgeward.io/soc\""},
      {"wrong value", pod("  nodeSelector: {kubernetes.io/arch: amd64}\n"), "rpi4",
       "spec.nodeSelector[\"kubernetes.io/arch\"]", "wants \"amd64\", node has \"arm64\""},
      {"empty value vs set", pod("  nodeSelector: {edgeward.io/board: \"\"}\n"), "rpi4",
       "spec.nodeSelector[\"edgeward.io/board\"]", "wants \"\", node has \"rpi4\""},
      {"In fails", pod(affinity + "{key: edgeward.io/board, operator: In, values: [rpi4, generic-aarch64]}\n"),
       "jetson-orin-nano", terms_path + ".matchExpressions[0]",
       "\"edgeward.io/board\" In [rpi4, generic-aarch64]: node has \"jetson-orin-nano\""},
      {"NotIn fails", pod(affinity + "{key: edgeward.io/kvm, operator: NotIn, values: [\"false\"]}\n"),
       "jetson-orin-nano", terms_path + ".matchExpressions[0]", "NotIn [false]: node has \"false\""},
      {"Exists fails", pod(affinity + "{key: edgeward.io/soc, operator: Exists}\n"), "generic-aarch64",
       terms_path + ".matchExpressions[0]", "node has no label \"edgeward.io/soc\""},
      {"DoesNotExist fails", pod(affinity + "{key: nvidia.com/gpu.present, operator: DoesNotExist}\n"),
       "jetson-orin-nano", terms_path + ".matchExpressions[0]", "DoesNotExist: node has \"true\""},
      {"Gt on a non-number", pod(affinity + "{key: edgeward.io/board, operator: Gt, values: [\"3\"]}\n"), "rpi4",
       terms_path + ".matchExpressions[0]", "node has \"rpi4\", not an integer"},
      {"docker image", with_image("nginx:1.25"), "rpi4", "spec.containers[0].image",
       "\"nginx:1.25\" is not an edgeward workload image"},
      {"bare scheme", with_image("\"ewi://\""), "rpi4", "spec.containers[0].image", "not an edgeward workload image"},
      {"gpu resource", pod("", "      resources: {limits: {nvidia.com/gpu: 1}}\n"), "jetson-orin-nano",
       "spec.containers[0].resources.limits[\"nvidia.com/gpu\"]", "cpu, memory and ephemeral-storage only"},
      {"request over limit", pod("", "      resources: {requests: {memory: 1Gi}, limits: {memory: 512Mi}}\n"), "rpi4",
       "spec.containers[0].resources.requests[\"memory\"]", "request 1Gi is more than the limit 512Mi"},
      {"too much memory", pod("", "      resources: {requests: {memory: 5Gi}}\n"), "rpi4",
       "spec.containers[*].resources.requests.memory", "the pod requests 5GiB, board rpi4 has 4GiB"},
      {"too much cpu", pod("", "      resources: {requests: {cpu: 4500m}}\n"), "rpi4",
       "spec.containers[*].resources.requests.cpu", "the pod requests 4500m cpu, board rpi4 has 4 cpus"},
      {"bad backend", pod("", "", "  annotations: {edgeward.io/backend: docker}\n"), "rpi4",
       "metadata.annotations[\"edgeward.io/backend\"]", "\"docker\" is not auto, vm or sandbox"},
      {"vm without kvm", pod("", "", "  annotations: {edgeward.io/backend: vm}\n"), "jetson-orin-nano",
       "metadata.annotations[\"edgeward.io/backend\"]", "board jetson-orin-nano declares no KVM"},
  };
  for (const RejectCase& c : cases) {
    const board::Board node = must_board(c.board);
    const Admission a = admit(must_pod(c.yaml), node);
    ASSERT_FALSE(a.admitted()) << c.name;
    EXPECT_TRUE(a.containers.empty()) << c.name;
    bool found = false;
    for (const Rejection& r : a.rejections) {
      if (r.path == c.field && r.reason.find(c.reason) != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << c.name << ":\n" << a.explain(node);
  }
}

TEST(Admission, ExplainListsEveryRejectionAndTheNodeLabels) {
  const board::Board node = must_board("generic-x86_64");
  const Admission a =
      admit(must_pod(pod("  nodeSelector: {kubernetes.io/arch: arm64, edgeward.io/board: rpi4}\n")), node);
  ASSERT_EQ(a.rejections.size(), 2u);
  const std::string text = a.explain(node);
  EXPECT_NE(text.find("pod default/p rejected on board generic-x86_64:"), std::string::npos) << text;
  EXPECT_NE(text.find("spec.nodeSelector[\"kubernetes.io/arch\"]: wants \"arm64\", node has \"amd64\""),
            std::string::npos);
  EXPECT_NE(text.find("spec.nodeSelector[\"edgeward.io/board\"]: wants \"rpi4\", node has \"generic-x86_64\""),
            std::string::npos);
  EXPECT_NE(text.find("node labels: kubernetes.io/arch=amd64, edgeward.io/board=generic-x86_64"), std::string::npos);
}

TEST(Admission, AdmitsMatchingPods) {
  const std::string affinity_pod = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  runtimeClassName: edgeward
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{key: edgeward.io/board, operator: In, values: [nowhere]}]
          - matchExpressions:
              - {key: edgeward.io/kvm, operator: In, values: ["true"]}
              - {key: edgeward.io/board, operator: NotIn, values: [jetson-orin-nano]}
              - {key: nvidia.com/gpu.present, operator: DoesNotExist}
              - {key: node-role.kubernetes.io/edge, operator: Exists}
  containers: [{name: c, image: ewi://c}]
)";
  for (const char* b : {"rpi4", "generic-aarch64", "generic-x86_64"}) {
    const board::Board node = must_board(b);
    const Admission a = admit(must_pod(affinity_pod), node);
    EXPECT_TRUE(a.admitted()) << b << ": " << a.explain(node);
  }
  const Admission jetson = admit(must_pod(affinity_pod), must_board("jetson-orin-nano"));
  EXPECT_FALSE(jetson.admitted());
  EXPECT_EQ(jetson.rejections.size(), 2u);  // one per failed term
}

TEST(Admission, AdmittedContainersCarryWhatTheLauncherNeeds) {
  const std::string yaml =
      pod("  nodeSelector: {kubernetes.io/arch: arm64}\n  restartPolicy: OnFailure\n  hostNetwork: true\n",
          "      args: [-v]\n      env: [{name: A, value: b}]\n"
          "      resources: {requests: {memory: 64Mi, cpu: 250m}, limits: {memory: 128Mi, cpu: 1}}\n"
          "    - name: d\n      image: ewi://d\n",
          "  namespace: edge\n");
  const board::Board jetson = must_board("jetson-orin-nano");
  const Admission a = admit(must_pod(yaml), jetson);
  ASSERT_TRUE(a.admitted()) << a.explain(jetson);
  ASSERT_EQ(a.containers.size(), 2u);
  const AdmittedContainer& c = a.containers[0];
  EXPECT_EQ(c.workload_name, "edge_p_c");
  EXPECT_EQ(c.image_kind, ImageKind::kFile);
  EXPECT_EQ(a.containers[1].image_kind, ImageKind::kName);
  EXPECT_EQ(c.args, std::vector<std::string>{"-v"});
  EXPECT_EQ(c.memory_request_bytes, 64u << 20);
  EXPECT_EQ(c.memory_limit_bytes, 128u << 20);
  EXPECT_EQ(c.cpu_request_millis, 250u);
  EXPECT_EQ(c.cpu_limit_millis, 1000u);
  EXPECT_EQ(c.restart_policy, RestartPolicy::kOnFailure);
  EXPECT_TRUE(c.host_network);
  EXPECT_EQ(c.backend, BackendHint::kAuto);
  EXPECT_NE(c.backend_reason.find("sandbox (board jetson-orin-nano declares no KVM)"), std::string::npos);
  const Admission on_rpi =
      admit(must_pod(pod("", "", "  annotations: {edgeward.io/backend: vm}\n")), must_board("rpi4"));
  ASSERT_TRUE(on_rpi.admitted());
  EXPECT_EQ(on_rpi.containers[0].backend, BackendHint::kVm);
}

}  // namespace
}  // namespace edgeward::k8s
