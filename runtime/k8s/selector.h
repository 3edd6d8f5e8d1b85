// Node selection policy: does this node (its board's labels) satisfy a pod's spec.nodeSelector and
// its required node affinity? Each failure names the selector's field path, what it wants and what
// the node has, so a rejection can be acted on.
#pragma once

#include <string>
#include <vector>

#include "common/board/board.h"
#include "runtime/k8s/pod.h"

namespace edgeward::k8s {

struct Mismatch {
  std::string path;    // e.g. spec.nodeSelector["edgeward.io/board"]
  std::string reason;  // e.g. wants "rpi4", node has "jetson-orin-nano"
};

// Every entry must equal the node's label (an empty value matches a label whose value is empty).
// `path` is the selector's field path (spec.nodeSelector, scheduling.nodeSelector).
std::vector<Mismatch> node_selector_mismatches(const StringPairs& selector, const std::string& path,
                                               const board::Board& node);

// Terms are ORed, a term's requirements ANDed (as in Kubernetes). Empty when `terms` is empty or
// one term matches; otherwise the first failing requirement of each term.
std::vector<Mismatch> node_affinity_mismatches(const std::vector<NodeSelectorTerm>& terms, const board::Board& node);

// "kubernetes.io/arch=arm64, edgeward.io/board=rpi4, ..." for messages.
std::string describe_labels(const board::Board& node);

}  // namespace edgeward::k8s
