// Installing the VMM's own seccomp filters (policies: seccomp_policy.h). Each thread installs its
// role's filter itself before it handles guest-controlled data (a vCPU thread: before its first
// KVM_RUN). The programs were compiled to classic BPF at build time for the target arch
// (seccomp_gen), so installing one is a prctl and a seccomp call: no libseccomp at run time.
#pragma once

#include <linux/filter.h>

#include <span>

#include "common/result.h"
#include "vmm-lite/jail/seccomp_policy.h"

namespace edgeward::vmm::jail {

// A role's filter as classic BPF, embedded in the binary.
std::span<const sock_filter> program(Role role);

// Sets no_new_privs and installs `program` on the calling thread only.
Status install(std::span<const sock_filter> program);

// install(program(role)).
Status jail_current_thread(Role role);

}  // namespace edgeward::vmm::jail
