// The part of a Kubernetes Pod (core/v1) that edgeward reads: data only, no policy. Filled in by
// pod_parser.h; judged by admission.h. Fields edgeward does not use are ignored when parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgeward::k8s {

using StringPairs = std::vector<std::pair<std::string, std::string>>;  // in manifest order

// One line of spec.affinity.nodeAffinity.required...nodeSelectorTerms[].matchExpressions.
enum class SelectorOp { kIn, kNotIn, kExists, kDoesNotExist, kGt, kLt };
struct SelectorRequirement {
  std::string path;  // where it came from, for messages
  std::string key;
  SelectorOp op = SelectorOp::kIn;
  std::vector<std::string> values;
};
struct NodeSelectorTerm {  // all requirements must hold (AND)
  std::string path;
  std::vector<SelectorRequirement> match_expressions;
};

struct Quantity {
  std::string resource;  // "cpu", "memory", ...
  std::string text;      // as written
  int64_t milli = 0;     // parsed (quantity.h)
};

struct Container {
  std::string name;
  std::string image;
  std::vector<std::string> command;  // entrypoint override (empty: the image's)
  std::vector<std::string> args;
  StringPairs env;
  std::string working_dir;
  std::vector<Quantity> requests;
  std::vector<Quantity> limits;
};

enum class RestartPolicy { kAlways, kOnFailure, kNever };

struct Pod {
  std::string name;
  std::string namespace_name = "default";
  StringPairs labels;
  StringPairs annotations;
  std::optional<std::string> runtime_class_name;
  StringPairs node_selector;                     // spec.nodeSelector: all must match
  std::vector<NodeSelectorTerm> required_terms;  // node affinity: any one term must match
  RestartPolicy restart_policy = RestartPolicy::kAlways;
  bool host_network = false;
  std::vector<Container> containers;
};

}  // namespace edgeward::k8s
