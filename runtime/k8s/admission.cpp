#include "runtime/k8s/admission.h"

#include "common/units.h"
#include "runtime/k8s/quantity.h"
#include "runtime/k8s/selector.h"

namespace edgeward::k8s {
namespace {

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

void check_runtime_class(const Pod& pod, std::vector<Rejection>& out) {
  if (!pod.runtime_class_name) {
    out.push_back({"spec.runtimeClassName", "not set; edgeward runs only pods with runtimeClassName: " +
                                                std::string(kRuntimeHandler) + " (deploy/k8s/runtimeclass.yaml)"});
  } else if (*pod.runtime_class_name != kRuntimeHandler) {
    out.push_back({"spec.runtimeClassName",
                   quoted(*pod.runtime_class_name) + " is not edgeward's handler " + quoted(kRuntimeHandler)});
  }
}

// The backend every container gets, from the pod's annotation and the board.
BackendHint choose_backend(const Pod& pod, const board::Board& node, std::string& reason, std::vector<Rejection>& out) {
  std::string want = "auto";
  for (const auto& [k, v] : pod.annotations) {
    if (k == kBackendAnnotation) want = v;
  }
  const std::string path = "metadata.annotations[" + quoted(kBackendAnnotation) + "]";
  if (want == "sandbox") {
    reason = "sandbox: asked for by the " + std::string(kBackendAnnotation) + " annotation";
    return BackendHint::kSandbox;
  }
  if (want == "vm") {
    if (!node.kvm_expected)
      out.push_back({path, "vm, but board " + node.name + " declares no KVM (use auto or sandbox)"});
    reason = "vm: asked for by the " + std::string(kBackendAnnotation) + " annotation";
    return BackendHint::kVm;
  }
  if (want != "auto") out.push_back({path, quoted(want) + " is not auto, vm or sandbox"});
  reason = node.kvm_expected ? "auto: a KVM microVM if /dev/kvm is usable and fast and the image has a kernel, else "
                               "the sandbox"
                             : "auto: the sandbox (board " + node.name + " declares no KVM)";
  return BackendHint::kAuto;
}

const Quantity* find(const std::vector<Quantity>& list, std::string_view name) {
  for (const Quantity& q : list) {
    if (q.resource == name) return &q;
  }
  return nullptr;
}

// Resource names edgeward enforces, and request <= limit for each.
void check_resources(const Container& c, const std::string& path, std::vector<Rejection>& out) {
  for (const auto* list : {&c.requests, &c.limits}) {
    const std::string which = list == &c.requests ? ".resources.requests" : ".resources.limits";
    for (const Quantity& q : *list) {
      if (q.resource != "cpu" && q.resource != "memory" && q.resource != "ephemeral-storage") {
        out.push_back({path + which + "[" + quoted(q.resource) + "]",
                       "edgeward nodes offer cpu, memory and ephemeral-storage only"});
      }
    }
  }
  for (const Quantity& req : c.requests) {
    const Quantity* lim = find(c.limits, req.resource);
    if (lim && req.milli > lim->milli) {
      out.push_back({path + ".resources.requests[" + quoted(req.resource) + "]",
                     "request " + req.text + " is more than the limit " + lim->text});
    }
  }
}

AdmittedContainer admit_container(const Pod& pod, const Container& c, const std::string& path,
                                  std::vector<Rejection>& out) {
  AdmittedContainer a;
  a.namespace_name = pod.namespace_name;
  a.pod_name = pod.name;
  a.container_name = c.name;
  a.workload_name = pod.namespace_name + "_" + pod.name + "_" + c.name;
  a.image = c.image;
  if (c.image.starts_with(kImageScheme) && c.image.size() > kImageScheme.size()) {
    a.image_kind = ImageKind::kName;
  } else if (c.image.ends_with(".ewi") && c.image.size() > 4) {
    a.image_kind = ImageKind::kFile;
  } else {
    out.push_back({path + ".image", quoted(c.image) + " is not an edgeward workload image: give a signed .ewi file "
                                                      "(edgeward image build/sign) or an ewi://NAME"});
  }
  a.command = c.command;
  a.args = c.args;
  a.env = c.env;
  a.working_dir = c.working_dir;
  a.restart_policy = pod.restart_policy;
  a.host_network = pod.host_network;
  check_resources(c, path, out);
  if (const Quantity* q = find(c.requests, "memory")) a.memory_request_bytes = milli_to_units_ceil(q->milli);
  if (const Quantity* q = find(c.limits, "memory")) a.memory_limit_bytes = milli_to_units_ceil(q->milli);
  if (const Quantity* q = find(c.requests, "cpu")) a.cpu_request_millis = static_cast<uint64_t>(q->milli);
  if (const Quantity* q = find(c.limits, "cpu")) a.cpu_limit_millis = static_cast<uint64_t>(q->milli);
  return a;
}

// The pod's total requests must fit the board (what a scheduler would have checked).
void check_capacity(const std::vector<AdmittedContainer>& cs, const board::Board& node, std::vector<Rejection>& out) {
  unsigned __int128 memory = 0, cpu = 0;
  for (const auto& c : cs) {
    memory += c.memory_request_bytes;
    cpu += c.cpu_request_millis;
  }
  if (node.memory_bytes && memory > node.memory_bytes) {
    out.push_back({"spec.containers[*].resources.requests.memory",
                   "the pod requests " + format_size(static_cast<uint64_t>(memory)) + ", board " + node.name + " has " +
                       format_size(node.memory_bytes)});
  }
  if (node.cpus && cpu > static_cast<unsigned __int128>(node.cpus) * 1000) {
    out.push_back({"spec.containers[*].resources.requests.cpu",
                   "the pod requests " + std::to_string(static_cast<uint64_t>(cpu)) + "m cpu, board " + node.name +
                       " has " + std::to_string(node.cpus) + " cpus"});
  }
}

}  // namespace

std::string_view backend_name(BackendHint b) {
  switch (b) {
    case BackendHint::kAuto: return "auto";
    case BackendHint::kVm: return "vm";
    case BackendHint::kSandbox: return "sandbox";
  }
  return "auto";
}

Admission admit(const Pod& pod, const board::Board& node) {
  Admission a;
  a.pod = pod.namespace_name + "/" + pod.name;
  a.board = node.name;
  std::vector<Rejection>& out = a.rejections;
  check_runtime_class(pod, out);
  for (auto& m : node_selector_mismatches(pod.node_selector, "spec.nodeSelector", node)) {
    out.push_back({std::move(m.path), std::move(m.reason)});
  }
  for (auto& m : node_affinity_mismatches(pod.required_terms, node))
    out.push_back({std::move(m.path), std::move(m.reason)});
  std::string reason;
  const BackendHint backend = choose_backend(pod, node, reason, out);
  std::vector<AdmittedContainer> containers;
  for (size_t i = 0; i < pod.containers.size(); ++i) {
    AdmittedContainer c = admit_container(pod, pod.containers[i], "spec.containers[" + std::to_string(i) + "]", out);
    c.backend = backend;
    c.backend_reason = reason;
    containers.push_back(std::move(c));
  }
  check_capacity(containers, node, out);
  if (out.empty()) a.containers = std::move(containers);
  return a;
}

std::string Admission::explain(const board::Board& node) const {
  if (admitted()) return "pod " + pod + " admitted on board " + board;
  std::string s = "pod " + pod + " rejected on board " + board + ":\n";
  for (const Rejection& r : rejections) s += "  " + r.path + ": " + r.reason + "\n";
  s += "  node labels: " + describe_labels(node);
  return s;
}

}  // namespace edgeward::k8s
