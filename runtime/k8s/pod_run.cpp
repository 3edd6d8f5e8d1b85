#include "runtime/k8s/pod_run.h"

namespace edgeward::k8s {

Result<std::vector<LaunchedContainer>> launch_pod(const Admission& admission, PodLauncher& launcher) {
  if (!admission.admitted()) return Error::invalid("pod " + admission.pod + " was not admitted; nothing launched");
  std::vector<LaunchedContainer> started;
  for (const AdmittedContainer& c : admission.containers) {
    auto launched = launcher.launch(c);
    if (launched) {
      started.push_back(std::move(launched).value());
      continue;
    }
    Error e = std::move(launched).error();
    e.message = "pod " + admission.pod + ": container " + c.container_name + ": " + e.message;
    for (auto it = started.rbegin(); it != started.rend(); ++it) {
      if (auto st = launcher.remove(*it); !st) {
        e.message += "; and removing the already started " + it->workload_name + " failed: " + st.error().message;
      }
    }
    if (!started.empty()) e.message += " (" + std::to_string(started.size()) + " started container(s) removed again)";
    return e;
  }
  return started;
}

}  // namespace edgeward::k8s
