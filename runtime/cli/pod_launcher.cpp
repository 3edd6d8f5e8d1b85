#include "runtime/cli/pod_launcher.h"

#include <limits.h>
#include <stdlib.h>

#include "runtime/daemon/client.h"

namespace edgeward::cli {
namespace {

std::string restart_word(k8s::RestartPolicy p) {
  switch (p) {
    case k8s::RestartPolicy::kAlways: return "always";
    case k8s::RestartPolicy::kOnFailure: return "on-failure";
    case k8s::RestartPolicy::kNever: return "no";
  }
  return "no";
}

// A signed image carries its entry, environment and resources, and all of them are measured; a pod
// cannot change them on the device (it would run something the signer never saw).
Status check_no_overrides(const k8s::AdmittedContainer& c) {
  const char* what = !c.command.empty()       ? "command"
                     : !c.args.empty()        ? "args"
                     : !c.env.empty()         ? "env"
                     : !c.working_dir.empty() ? "workingDir"
                                              : nullptr;
  if (!what) return {};
  return Error::invalid(std::string("'") + what +
                        "' cannot override a signed image's entry on edgeward; build and sign an image "
                        "with that entry instead (edgeward image build --entry ...)");
}

class DaemonPodLauncher final : public k8s::PodLauncher {
 public:
  DaemonPodLauncher(std::string socket, std::string manifest_dir)
      : socket_(std::move(socket)), manifest_dir_(std::move(manifest_dir)) {}

  Result<k8s::LaunchedContainer> launch(const k8s::AdmittedContainer& c) override {
    EW_TRY(check_no_overrides(c));
    if (c.image_kind != k8s::ImageKind::kFile) {
      return Error::unsupported("image " + c.image +
                                ": this device keeps no image store by name yet; give the path of the .ewi file");
    }
    EW_ASSIGN(std::string image, absolute_image(c));
    EW_ASSIGN(auto client, daemon::Client::connect(socket_));
    EW_ASSIGN(auto r, client.call({.op = daemon::Op::kRun,
                                   .name = c.workload_name,
                                   .image = image,
                                   .backend = std::string(k8s::backend_name(c.backend)),
                                   .restart = restart_word(c.restart_policy)}));
    if (r.workloads.empty()) return Error::internal("the daemon started " + c.workload_name + " but did not describe it");
    const daemon::WorkloadInfo& w = r.workloads.front();
    return k8s::LaunchedContainer{.workload_name = w.name, .id = w.container_id, .detail = w.backend + ": " + r.note};
  }

  Status remove(const k8s::LaunchedContainer& c) override {
    EW_ASSIGN(auto client, daemon::Client::connect(socket_));
    EW_TRY(client.call({.op = daemon::Op::kRm, .name = c.workload_name, .force = true}));
    return {};
  }

 private:
  Result<std::string> absolute_image(const k8s::AdmittedContainer& c) const {
    const std::string path = c.image.front() == '/' ? c.image : manifest_dir_ + "/" + c.image;
    char abs[PATH_MAX];
    if (!::realpath(path.c_str(), abs)) {
      return Error::not_found("image " + path + " not found");
    }
    return std::string(abs);
  }

  std::string socket_;
  std::string manifest_dir_;
};

}  // namespace

std::unique_ptr<k8s::PodLauncher> make_daemon_pod_launcher(std::string socket, std::string manifest_dir) {
  return std::make_unique<DaemonPodLauncher>(std::move(socket), std::move(manifest_dir));
}

}  // namespace edgeward::cli
