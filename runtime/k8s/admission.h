// Admission policy: may this Pod run on this node? Decided from the parsed Pod (pod.h) and the
// node's board (common/board/), with no side effects. A pod is admitted only when
//   - spec.runtimeClassName is edgeward's handler ("edgeward", deploy/k8s/runtimeclass.yaml),
//   - every spec.nodeSelector entry equals one of the board's labels, and one term of the
//     required node affinity (matchExpressions: In, NotIn, Exists, DoesNotExist, Gt, Lt) holds,
//   - every image is an edgeward workload image (a .ewi path or an ewi:// name),
//   - resources are cpu / memory / ephemeral-storage, requests <= limits, and the pod's requests
//     fit the board's memory and cpus,
//   - the edgeward.io/backend annotation, if any, is auto|vm|sandbox and vm only on a KVM board.
// Every failure is reported (not only the first), each naming the field and what the node has.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/board/board.h"
#include "runtime/k8s/launcher.h"
#include "runtime/k8s/pod.h"

namespace edgeward::k8s {

inline constexpr std::string_view kRuntimeHandler = "edgeward";
inline constexpr std::string_view kBackendAnnotation = "edgeward.io/backend";
inline constexpr std::string_view kImageScheme = "ewi://";

struct Rejection {
  std::string path;    // the field that failed, e.g. spec.nodeSelector["edgeward.io/board"]
  std::string reason;  // what it wants and what the node has
};

struct Admission {
  std::string pod;                            // namespace/name
  std::string board;                          // the node's board name
  std::vector<Rejection> rejections;          // empty: admitted
  std::vector<AdmittedContainer> containers;  // filled only when admitted
  bool admitted() const { return rejections.empty(); }
  // A multi-line message: which pod, which board, each rejection, and the node's labels.
  std::string explain(const board::Board& node) const;
};

Admission admit(const Pod& pod, const board::Board& node);

}  // namespace edgeward::k8s
