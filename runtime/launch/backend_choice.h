// Which backend runs an image: the policy of `run --backend auto|vm|sandbox`, pure (the KVM
// verdict is passed in, and only asked for when it matters).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/container/container.h"
#include "runtime/launch/kvm_calibration.h"

namespace edgeward::launch {

enum class BackendRequest { kAuto, kVm, kSandbox };
Result<BackendRequest> parse_backend(std::string_view text);  // "", "auto", "vm", "sandbox"

struct BackendChoice {
  runtime::Backend backend = runtime::Backend::kSandbox;
  std::string reason;
};

// auto: the microVM when the image has a kernel and KVM is fast, else the sandbox (which needs
// a rootfs archive); vm / sandbox: forced, refused when the image lacks what the backend needs.
Result<BackendChoice> choose_backend(BackendRequest request, bool has_kernel, bool has_rootfs_archive,
                                     const std::function<KvmVerdict()>& kvm_verdict);

std::string_view backend_name(runtime::Backend b);  // "vm" or "sandbox"

}  // namespace edgeward::launch
