// The image-launch step shared by the daemon's `run` and the Kubernetes pod path: from a signed
// image file to a WorkloadSpec the container core can start.
//
//   verify_image (signature, chain to the fleet CA, digests)  -> nothing unsigned runs
//   node selector of the manifest against this board's labels
//   choose the backend (backend_choice.h; KVM calibrated when it matters)
//   unpack what the backend needs into `workdir` (rootfs archive, or kernel/initrd), re-checking
//   the signed digests of the bytes actually used
//   record_launch into the measurement store               -> the last step before exec
//     (once per boot for the same manifest and launch configuration: the event log holds
//     attest::kMaxEvents per boot, and a relaunch of the same thing adds no information)
//
// On any error `workdir` is removed and nothing is measured: nothing half-created is left.
#pragma once

#include <functional>
#include <string>

#include "attest/image/manifest.h"
#include "common/result.h"
#include "runtime/container/container.h"
#include "runtime/launch/backend_choice.h"
#include "runtime/launch/unpack.h"

namespace edgeward::launch {

struct LaunchOptions {
  std::string image;       // path of the signed .ewi
  std::string ca_path;     // fleet root CA (PEM)
  std::string attest_dir;  // measurement store directory
  std::string workdir;     // created here (must not exist): rootfs/, kernel, initrd
  BackendRequest backend = BackendRequest::kAuto;
  std::vector<std::pair<std::string, std::string>> node_labels;  // this node's labels (board)
  std::function<KvmVerdict()> kvm_verdict;  // asked only for `auto` with a kernel in the image
  unsigned threads = 2;
  UnpackLimits limits;
};

struct PreparedLaunch {
  runtime::WorkloadSpec workload;
  std::string backend_reason;
  attest::Manifest manifest;
  std::string manifest_digest;  // hex
  std::string signer;
};

Result<PreparedLaunch> launch_image(const LaunchOptions& options);

// The first selector entry this node's labels do not satisfy, as an error; ok when all match.
Status check_node_selector(const attest::Manifest& m, const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace edgeward::launch
