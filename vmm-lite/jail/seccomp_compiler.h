// Compiles a role's policy (seccomp_policy.h) to classic BPF with libseccomp. The build runs this
// once per role for the target arch (seccomp_gen) and embeds the programs, so the VMM itself never
// compiles at run time; tests run it for the native arch to prove the embedded programs are what
// libseccomp makes. Header-only dependencies besides libseccomp: the generator is a host tool.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "vmm-lite/jail/seccomp_policy.h"

namespace edgeward::vmm::jail {

// `arch` is a libseccomp SCMP_ARCH_* token; SCMP_ARCH_NATIVE (0) is the arch this runs on.
// Only that one arch is in the filter: x32 and other foreign ABIs hit the default action.
Result<std::vector<sock_filter>> compile_with_libseccomp(Role role, uint32_t arch);

// The linked libseccomp's version, "major.minor.micro".
std::string libseccomp_version();

}  // namespace edgeward::vmm::jail
