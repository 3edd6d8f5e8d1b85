// The roles' classic-BPF programs, generated at build time for the target arch by seccomp_gen
// (build directory: generated/vmm-lite/jail/seccomp_programs.cpp).
#pragma once

#include <linux/filter.h>

#include <span>

#include "vmm-lite/jail/seccomp_policy.h"

namespace edgeward::vmm::jail::generated {

std::span<const sock_filter> program(Role role);

// The libseccomp version that compiled them, for tests comparing with a run-time compilation.
extern const char kLibseccompVersion[];

}  // namespace edgeward::vmm::jail::generated
