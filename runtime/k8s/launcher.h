// The hand-off from `edgeward pod run` to whatever starts workloads.
//
// Admission (admission.h) turns an accepted Pod into one AdmittedContainer per container; the
// pipeline (pod_run.h) gives each to a PodLauncher. The launcher is the only part of the pod path
// that starts anything, so tests use a fake one; the CLI's is the daemon's
// (runtime/cli/pod_launcher.h: the same RUN request as `edgeward run IMAGE`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/k8s/pod.h"

namespace edgeward::k8s {

// Where the workload runs; the pod's `edgeward.io/backend` annotation, same words as
// `edgeward run --backend`.
enum class BackendHint { kAuto, kVm, kSandbox };
std::string_view backend_name(BackendHint b);

enum class ImageKind {
  kFile,  // a path to a signed workload image (.ewi)
  kName,  // ewi://NAME: an image the device already holds, by name
};

// Everything a launcher needs for one container of an admitted pod; checked and normalised.
struct AdmittedContainer {
  std::string workload_name;  // "<namespace>_<pod>_<container>": unique per node, for `run --name`
  std::string namespace_name;
  std::string pod_name;
  std::string container_name;
  std::string image;  // as written in the manifest
  ImageKind image_kind = ImageKind::kFile;
  std::vector<std::string> command;  // empty: the image's entrypoint
  std::vector<std::string> args;
  StringPairs env;
  std::string working_dir;  // empty: the image's
  BackendHint backend = BackendHint::kAuto;
  std::string backend_reason;         // why, for --dry-run and logs
  uint64_t memory_request_bytes = 0;  // 0: none given
  uint64_t memory_limit_bytes = 0;    // 0: the launcher's default
  uint64_t cpu_request_millis = 0;
  uint64_t cpu_limit_millis = 0;
  RestartPolicy restart_policy = RestartPolicy::kAlways;
  bool host_network = false;
};

struct LaunchedContainer {
  std::string workload_name;
  std::string id;      // the launcher's handle (daemon workload id)
  std::string detail;  // e.g. the backend actually chosen, for the user
};

class PodLauncher {
 public:
  virtual ~PodLauncher() = default;
  // Starts one container; nothing is left behind when it fails.
  virtual Result<LaunchedContainer> launch(const AdmittedContainer& c) = 0;
  // Stops and removes a container this launcher started (used to undo a partly started pod).
  virtual Status remove(const LaunchedContainer& c) = 0;
};

}  // namespace edgeward::k8s
