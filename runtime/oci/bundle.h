// Policy: what an OCI bundle's parsed config.json means for an edgeward container. The root is
// resolved against the bundle directory; the backend is the sandbox unless annotations ask for a
// microVM (as kata-runtime does):
//
//   io.edgeward.backend        "sandbox" (default) or "vm"
//   io.edgeward.vm.kernel      vm: kernel image (bzImage / Image); relative paths: to the bundle
//   io.edgeward.vm.initrd      vm: initramfs (optional)
//   io.edgeward.vm.cmdline     vm: extra kernel command line (optional)
//   io.edgeward.vm.mem         vm: guest memory, e.g. "256M" (default: linux.resources.memory.limit or 256M)
//   io.edgeward.vm.vcpus       vm: virtual CPUs (default 1)
//   io.edgeward.sandbox.policy sandbox: policy XML file (default: the built-in profile)
//   io.edgeward.net            sandbox: "none" (default, an empty network namespace) or "host"
//
// Any other io.edgeward.* annotation is an error (a typo must not silently change the backend).
#pragma once

#include <string>

#include "common/result.h"
#include "runtime/container/container.h"
#include "runtime/oci/config_parser.h"

namespace edgeward::oci {

constexpr uint64_t kDefaultPidsLimit = 1024;

Result<runtime::ContainerSpec> spec_from_bundle(const OciConfig& config, const std::string& bundle_dir,
                                                const std::string& id);

struct LoadedBundle {
  OciConfig config;
  runtime::ContainerSpec spec;
};

// Reads and parses BUNDLE/config.json (an absolute directory), then spec_from_bundle.
Result<LoadedBundle> load_bundle(const std::string& bundle_dir, const std::string& id);

}  // namespace edgeward::oci
