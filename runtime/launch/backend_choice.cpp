#include "runtime/launch/backend_choice.h"

namespace edgeward::launch {

Result<BackendRequest> parse_backend(std::string_view text) {
  if (text.empty() || text == "auto") return BackendRequest::kAuto;
  if (text == "vm") return BackendRequest::kVm;
  if (text == "sandbox") return BackendRequest::kSandbox;
  return Error::invalid("--backend '" + std::string(text) + "': use auto, vm or sandbox");
}

std::string_view backend_name(runtime::Backend b) { return b == runtime::Backend::kVm ? "vm" : "sandbox"; }

Result<BackendChoice> choose_backend(BackendRequest request, bool has_kernel, bool has_rootfs_archive,
                                     const std::function<KvmVerdict()>& kvm_verdict) {
  using runtime::Backend;
  switch (request) {
    case BackendRequest::kVm:
      if (!has_kernel) return Error::invalid("--backend vm: the image has no kernel component");
      return BackendChoice{Backend::kVm, "forced by --backend vm"};
    case BackendRequest::kSandbox:
      if (!has_rootfs_archive) return Error::invalid("--backend sandbox: the image has no rootfs-archive component");
      return BackendChoice{Backend::kSandbox, "forced by --backend sandbox"};
    case BackendRequest::kAuto: break;
  }
  if (!has_kernel && !has_rootfs_archive) {
    return Error::invalid("the image has neither a kernel nor a rootfs archive: nothing can run it");
  }
  if (!has_kernel) return BackendChoice{Backend::kSandbox, "sandbox: the image has no kernel"};
  const KvmVerdict v = kvm_verdict();
  if (v.fast) return BackendChoice{Backend::kVm, "microVM: " + v.reason};
  if (!has_rootfs_archive) {
    return BackendChoice{Backend::kVm, "microVM although " + v.reason + ": the image has no rootfs archive"};
  }
  return BackendChoice{Backend::kSandbox, "sandbox: " + v.reason};
}

}  // namespace edgeward::launch
