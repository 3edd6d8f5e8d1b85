// Pod parser: every error case names the field path and what was found; then good pods in YAML
// and JSON decode to the same Pod.
#include "runtime/k8s/pod_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace edgeward::k8s {
namespace {

// A valid pod; each bad case replaces one piece of it.
const std::string kGood = R"(apiVersion: v1
kind: Pod
metadata:
  name: hello
  namespace: edge
  labels: {app: hello}
  annotations: {edgeward.io/backend: sandbox}
spec:
  runtimeClassName: edgeward
  restartPolicy: Never
  hostNetwork: false
  nodeSelector:
    kubernetes.io/arch: arm64
    edgeward.io/kvm: "true"
  containers:
    - name: hello
      image: /images/hello.ewi
      command: [/bin/hello]
      args: [--loud]
      workingDir: /srv
      env:
        - {name: GREETING, value: hi}
        - {name: EMPTY}
      resources:
        requests: {memory: 64Mi, cpu: 250m}
        limits: {memory: 128Mi, cpu: 1}
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: '" << from << "' not in the base pod";
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

struct BadCase {
  const char* name;
  std::string text;
  const char* error;  // substring of the message
};

TEST(PodParser, RejectsBadPods) {
  const std::string containers = "  containers:\n    - name: hello\n";
  const BadCase cases[] = {
      {"not a mapping", "- a\n- b\n", "pod.yaml: the manifest must be a mapping (a Pod object), got a list"},
      {"no apiVersion", replace(kGood, "apiVersion: v1\n", ""), "pod.yaml: apiVersion: is required"},
      {"wrong apiVersion", replace(kGood, "apiVersion: v1", "apiVersion: apps/v1"),
       "apiVersion: \"apps/v1\" is not v1"},
      {"wrong kind", replace(kGood, "kind: Pod", "kind: Deployment"), "kind: \"Deployment\" is not Pod"},
      {"kind not a string", replace(kGood, "kind: Pod", "kind: [Pod]"), "kind: value must be a string, got a list"},
      {"no metadata",
       replace(replace(kGood, "metadata:\n  name: hello\n  namespace: edge\n", ""),
               "  labels: {app: hello}\n  annotations: {edgeward.io/backend: sandbox}\n", ""),
       "metadata: is required"},
      {"no name", replace(kGood, "  name: hello\n  namespace", "  namespace"), "metadata.name: is required"},
      {"bad name", replace(kGood, "name: hello\n  namespace", "name: Hello_World\n  namespace"),
       "metadata.name: \"Hello_World\" has the character 'H'"},
      {"number namespace", replace(kGood, "namespace: edge", "namespace: 7"),
       "metadata.namespace: value must be a string, got the number 7 (quote it: \"7\")"},
      {"bad label key", replace(kGood, "{app: hello}", "{\"a b\": hello}"), "metadata.labels[\"a b\"]: key:"},
      {"annotations not a map", replace(kGood, "{edgeward.io/backend: sandbox}", "[x]"),
       "metadata.annotations: must be a mapping, got a list"},
      {"no spec", kGood.substr(0, kGood.find("spec:")), "spec: is required"},
      {"runtimeClassName not a string", replace(kGood, "runtimeClassName: edgeward", "runtimeClassName: {a: b}"),
       "spec.runtimeClassName: value must be a string, got a mapping"},
      {"boolean label value", replace(kGood, "edgeward.io/kvm: \"true\"", "edgeward.io/kvm: true"),
       "spec.nodeSelector[\"edgeward.io/kvm\"]: value must be a string, got the boolean true (quote it: \"true\")"},
      {"number label value", replace(kGood, "edgeward.io/kvm: \"true\"", "edgeward.io/kvm: 1"),
       "spec.nodeSelector[\"edgeward.io/kvm\"]: value must be a string, got the number 1"},
      {"bad label value", replace(kGood, "edgeward.io/kvm: \"true\"", "edgeward.io/kvm: \"-x\""),
       "spec.nodeSelector[\"edgeward.io/kvm\"]: label value must start and end"},
      {"nodeSelector a list", replace(kGood, "nodeSelector:", "nodeSelector: []\n  x:"),
       "spec.nodeSelector: must be a mapping, got a list"},
      {"bad restartPolicy", replace(kGood, "restartPolicy: Never", "restartPolicy: Sometimes"),
       "spec.restartPolicy: \"Sometimes\" is not Always, OnFailure or Never"},
      {"hostNetwork a string", replace(kGood, "hostNetwork: false", "hostNetwork: \"false\""),
       "spec.hostNetwork: value must be true or false, got a string"},
      {"initContainers", replace(kGood, "  containers:", "  initContainers: [{name: i, image: i.ewi}]\n  containers:"),
       "spec.initContainers: not supported by edgeward"},
      {"no containers", kGood.substr(0, kGood.find("  containers:")), "spec.containers: is required"},
      {"empty containers", kGood.substr(0, kGood.find("  containers:")) + "  containers: []\n",
       "spec.containers: needs at least one container"},
      {"too many containers",
       kGood.substr(0, kGood.find("  containers:")) + "  containers: [" +
           [] {
             std::string s;
             for (int i = 0; i < 17; ++i) s += "{name: c" + std::to_string(i) + ", image: c.ewi},";
             return s;
           }() +
           "]\n",
       "spec.containers: has 17 items, more than the limit of 16"},
      {"no container name", replace(kGood, "    - name: hello\n      image", "    - image"),
       "spec.containers[0]: name is required"},
      {"no image", replace(kGood, "      image: /images/hello.ewi\n", ""), "spec.containers[0]: image is required"},
      {"image a number", replace(kGood, "image: /images/hello.ewi", "image: 42"),
       "spec.containers[0].image: value must be a string, got the number 42"},
      {"duplicate container", kGood + "    - {name: hello, image: b.ewi}\n", "is used by another container"},
      {"args not strings", replace(kGood, "args: [--loud]", "args: [--count, 3]"),
       "spec.containers[0].args[1]: value must be a string, got the number 3"},
      {"env valueFrom", replace(kGood, "{name: EMPTY}", "{name: X, valueFrom: {fieldRef: {fieldPath: a}}}"),
       "spec.containers[0].env[1].valueFrom: not supported"},
      {"env bad name", replace(kGood, "{name: EMPTY}", "{name: \"A=B\"}"), "spec.containers[0].env[1].name: \"A=B\""},
      {"bad quantity", replace(kGood, "memory: 64Mi", "memory: 64MB"),
       "spec.containers[0].resources.requests[\"memory\"]: quantity \"64MB\": unknown suffix \"MB\""},
      {"negative quantity", replace(kGood, "cpu: 250m", "cpu: -1"),
       "spec.containers[0].resources.requests[\"cpu\"]: quantity \"-1\": must not be negative"},
      {"quantity a list", replace(kGood, "cpu: 250m", "cpu: [1]"),
       "spec.containers[0].resources.requests[\"cpu\"]: value must be a string, got a list"},
      {"resources a string",
       replace(kGood,
               "      resources:\n        requests: {memory: 64Mi, cpu: 250m}\n"
               "        limits: {memory: 128Mi, cpu: 1}\n",
               "      resources: big\n"),
       "spec.containers[0].resources: must be a mapping, got a string"},
      {"malformed yaml", replace(kGood, "  runtimeClassName: edgeward", "  runtimeClassName: [edgeward"),
       "pod.yaml:10:16: malformed YAML"},
  };
  for (const BadCase& c : cases) {
    auto r = parse_pod(c.text, "pod.yaml");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(PodParser, RejectsBadAffinity) {
  const std::string head =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: a.ewi}]\n"
      "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n";
  const std::string terms = "        nodeSelectorTerms:\n          - matchExpressions:\n              - ";
  const BadCase cases[] = {
      {"no terms", head + "        {}\n", "nodeSelectorTerms: is required"},
      {"empty terms", head + "        nodeSelectorTerms: []\n", "nodeSelectorTerms: needs at least one term"},
      {"matchFields",
       head + "        nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [a]}]}]\n",
       "nodeSelectorTerms[0].matchFields: not supported by edgeward"},
      {"no key", head + terms + "{operator: Exists}\n", "matchExpressions[0]: key is required"},
      {"bad operator", head + terms + "{key: a, operator: Like, values: [b]}\n",
       "matchExpressions[0].operator: unknown operator \"Like\""},
      {"In without values", head + terms + "{key: a, operator: In}\n",
       "matchExpressions[0].values: In and NotIn need at least one value"},
      {"Exists with values", head + terms + "{key: a, operator: Exists, values: [b]}\n",
       "Exists and DoesNotExist take no values"},
      {"Gt two values", head + terms + "{key: a, operator: Gt, values: [\"1\", \"2\"]}\n",
       "Gt and Lt take exactly one"},
      {"values not strings", head + terms + "{key: a, operator: In, values: [yes]}\n",
       "matchExpressions[0].values[0]: value must be a string, got the boolean true"},
  };
  for (const BadCase& c : cases) {
    auto r = parse_pod(c.text, "pod.yaml");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(PodParser, DecodesAGoodPod) {
  auto r = parse_pod(kGood, "pod.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Pod& p = *r;
  EXPECT_EQ(p.name, "hello");
  EXPECT_EQ(p.namespace_name, "edge");
  ASSERT_TRUE(p.runtime_class_name.has_value());
  EXPECT_EQ(*p.runtime_class_name, "edgeward");
  EXPECT_EQ(p.restart_policy, RestartPolicy::kNever);
  const StringPairs want_selector{{"edgeward.io/kvm", "true"}, {"kubernetes.io/arch", "arm64"}};
  EXPECT_EQ(p.node_selector, want_selector);
  ASSERT_EQ(p.containers.size(), 1u);
  const Container& c = p.containers[0];
  EXPECT_EQ(c.image, "/images/hello.ewi");
  EXPECT_EQ(c.command, std::vector<std::string>{"/bin/hello"});
  EXPECT_EQ(c.args, std::vector<std::string>{"--loud"});
  EXPECT_EQ(c.working_dir, "/srv");
  const StringPairs want_env{{"GREETING", "hi"}, {"EMPTY", ""}};
  EXPECT_EQ(c.env, want_env);
  ASSERT_EQ(c.requests.size(), 2u);
  ASSERT_EQ(c.limits.size(), 2u);
  EXPECT_EQ(c.limits[0].resource, "cpu");
  EXPECT_EQ(c.limits[0].milli, 1000);  // `cpu: 1` written as a number
  EXPECT_EQ(c.requests[1].milli, 64LL * 1024 * 1024 * 1000);
}

TEST(PodParser, JsonAndYamlGiveTheSamePod) {
  auto yaml = load_pod_file("pods/affinity.yaml");
  ASSERT_TRUE(yaml.ok()) << yaml.error().message;
  ASSERT_EQ(yaml->required_terms.size(), 2u);
  EXPECT_EQ(yaml->required_terms[0].match_expressions.size(), 3u);
  EXPECT_EQ(yaml->required_terms[0].match_expressions[1].op, SelectorOp::kNotIn);
  EXPECT_EQ(yaml->required_terms[1].match_expressions[0].path,
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1]"
            ".matchExpressions[0]");
  auto json = load_pod_file("pods/json-pod.json");
  ASSERT_TRUE(json.ok()) << json.error().message;
  EXPECT_EQ(json->containers.size(), 2u);
  EXPECT_EQ(json->containers[0].requests[0].milli, 500);  // "cpu": 0.5
}

}  // namespace
}  // namespace edgeward::k8s
