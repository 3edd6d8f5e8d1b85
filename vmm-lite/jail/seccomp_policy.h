// The VMM's own seccomp policies, one per thread role, written as data: every allowed system
// call has the reason it is needed beside it, and anything else kills the whole process
// (SECCOMP_RET_KILL_PROCESS). This table is the single source of truth: the build compiles it to
// classic BPF for the target arch (seccomp_gen), and tests compile it again at run time.
// Only standard and kernel headers here: the generator is built with the build host's compiler.
#pragma once

#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <span>
#include <string_view>

namespace edgeward::vmm::jail {

enum class Role {
  kVcpu,     // runs guest code and emulates devices on its exits
  kControl,  // the main thread after setup: waits for the VM's end, kicks and joins vCPUs
  kConsole,  // the host I/O thread: terminal input to the UART, agent socket to virtio-console
};
inline constexpr Role kRoles[] = {Role::kVcpu, Role::kControl, Role::kConsole};

// Restrictions on a call's arguments.
enum class Args {
  kAny,
  kVcpuIoctls,     // ioctl: only kVcpuIoctlCmds
  kTermiosIoctls,  // ioctl: only kTermiosIoctlCmds
  kNoExec,         // mmap / mprotect: never kExecProt
};

// The argument values the restrictions compare with. The generator runs on the build host, so
// the generated program asserts at compile time that the target's headers give the same values.
inline constexpr unsigned long kVcpuIoctlCmds[] = {KVM_RUN, KVM_IRQ_LINE};
inline constexpr unsigned long kTermiosIoctlCmds[] = {TCGETS, TCSETS, TCSETSW, TCSETSF};
inline constexpr unsigned long kExecProt = PROT_EXEC;

struct AllowedCall {
  std::string_view name;    // syscall name as libseccomp knows it
  Args args;
  std::string_view reason;  // why this role needs it
};

// The policy of a role, for the generator, review and tests.
std::span<const AllowedCall> policy(Role role);

// The role's name in generated code and messages ("vcpu", "control", "console").
std::string_view role_name(Role role);

}  // namespace edgeward::vmm::jail
