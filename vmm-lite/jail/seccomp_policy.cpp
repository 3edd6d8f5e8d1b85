#include "vmm-lite/jail/seccomp_policy.h"

namespace edgeward::vmm::jail {
namespace {

// Calls every role makes through the C and C++ runtime.
#define EW_RUNTIME_CALLS                                                                        \
  {"futex", Args::kAny, "mutexes and condition variables between threads"},                     \
      {"write", Args::kAny, "console output to stdout, error messages to stderr"},              \
      {"brk", Args::kAny, "malloc grows the heap"},                                             \
      {"mmap", Args::kNoExec, "malloc of large blocks; never executable memory"},               \
      {"mprotect", Args::kNoExec, "glibc makes a new thread arena read-write; never executable"}, \
      {"munmap", Args::kAny, "free of large blocks"},                                           \
      {"madvise", Args::kAny, "glibc returns freed memory and thread stacks"},                  \
      {"mremap", Args::kAny, "realloc of large blocks"},                                        \
      {"rt_sigreturn", Args::kAny, "return from the no-op kick signal handler"},                \
      {"rt_sigprocmask", Args::kAny, "glibc masks signals around thread exit"},                 \
      {"sched_yield", Args::kAny, "spin-wait backoff in the C++ runtime"},                      \
      {"clock_gettime", Args::kAny, "timestamps when the vDSO is unavailable"},                 \
      {"exit", Args::kAny, "a thread ends"}

constexpr AllowedCall kVcpu[] = {
    EW_RUNTIME_CALLS,
    {"ioctl", Args::kVcpuIoctls, "KVM_RUN runs the guest; KVM_IRQ_LINE raises device interrupts"},
    {"pread64", Args::kAny, "virtio-blk reads from the disk image"},
    {"pwrite64", Args::kAny, "virtio-blk writes to a read-write disk image"},
    {"fdatasync", Args::kAny, "virtio-blk flush requests"},
    {"read", Args::kAny, "virtio-net takes waiting TAP frames when the driver posts receive buffers"},
    {"getpid", Args::kAny, "pthread_kill (a vCPU stopping the VM kicks the others)"},
    {"gettid", Args::kAny, "pthread_kill"},
    {"tgkill", Args::kAny, "pthread_kill: kick vCPU threads out of KVM_RUN when the VM stops"},
};

constexpr AllowedCall kControl[] = {
    EW_RUNTIME_CALLS,
    {"getpid", Args::kAny, "pthread_kill"},
    {"gettid", Args::kAny, "pthread_kill"},
    {"tgkill", Args::kAny, "pthread_kill: kick vCPU threads out of KVM_RUN when the VM stops"},
    {"ioctl", Args::kTermiosIoctls, "restore the terminal mode on exit"},
    {"exit_group", Args::kAny, "the VMM process ends with the guest's outcome"},
    {"close", Args::kAny, "closing the VM's file descriptors at exit"},
    {"rt_sigtimedwait", Args::kAny, "wait for SIGINT/SIGTERM while the guest runs"},
};

constexpr AllowedCall kConsole[] = {
    EW_RUNTIME_CALLS,
    {"read", Args::kAny, "terminal input for the UART, agent bytes for the virtio-console, TAP frames for virtio-net"},
    {"nanosleep", Args::kAny, "back off while the guest does not drain the agent queue"},
    {"clock_nanosleep", Args::kAny, "back off while the guest does not drain the agent queue"},
    {"ppoll", Args::kAny, "wait for terminal input with a timeout"},
    {"poll", Args::kAny, "wait for terminal input with a timeout"},
    {"ioctl", Args::kVcpuIoctls, "KVM_IRQ_LINE: the UART / virtio-console / virtio-net interrupt when input arrives"},
};

#undef EW_RUNTIME_CALLS

}  // namespace

std::span<const AllowedCall> policy(Role role) {
  switch (role) {
    case Role::kVcpu: return kVcpu;
    case Role::kControl: return kControl;
    case Role::kConsole: return kConsole;
  }
  return {};
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kVcpu: return "vcpu";
    case Role::kControl: return "control";
    case Role::kConsole: return "console";
  }
  return "unknown";
}

}  // namespace edgeward::vmm::jail
