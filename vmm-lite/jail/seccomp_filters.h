// The VMM's own seccomp filters, one per thread role, written as data: every allowed system
// call has the reason it is needed beside it, and anything else kills the whole process
// (SECCOMP_RET_KILL_PROCESS). Each thread installs its filter itself before it handles
// guest-controlled data (a vCPU thread: before its first KVM_RUN).
#pragma once

#include <linux/filter.h>

#include <span>
#include <vector>
#include <string_view>

#include "common/result.h"

namespace edgeward::vmm::jail {

enum class Role {
  kVcpu,     // runs guest code and emulates devices on its exits
  kControl,  // the main thread after setup: waits for the VM's end, kicks and joins vCPUs
  kConsole,  // the host I/O thread: terminal input to the UART, agent socket to virtio-console
};

// Restrictions on a call's arguments.
enum class Args {
  kAny,
  kVcpuIoctls,     // ioctl: only KVM_RUN and KVM_IRQ_LINE
  kTermiosIoctls,  // ioctl: only TCGETS / TCSETS* (restoring the terminal)
  kNoExec,         // mmap / mprotect: never PROT_EXEC
};

struct AllowedCall {
  std::string_view name;    // syscall name as libseccomp knows it
  Args args;
  std::string_view reason;  // why this role needs it
};

// The policy of a role, for review and tests.
std::span<const AllowedCall> policy(Role role);

// A role's filter compiled to classic BPF, ready to install. Compiling (libseccomp) takes
// milliseconds; installing takes microseconds, so the VMM compiles before it starts threads.
struct CompiledFilter {
  std::vector<sock_filter> program;
};
Result<CompiledFilter> compile(Role role);

// Sets no_new_privs and installs `filter` on the calling thread only.
Status install(const CompiledFilter& filter);

// compile + install.
Status jail_current_thread(Role role);

}  // namespace edgeward::vmm::jail
