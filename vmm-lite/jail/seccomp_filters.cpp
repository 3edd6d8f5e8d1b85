#include "vmm-lite/jail/seccomp_filters.h"

#include <linux/kvm.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/ioctl.h>

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "common/errno_error.h"
#include "common/unique_fd.h"

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

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

Status add_rule(scmp_filter_ctx ctx, const AllowedCall& call) {
  const int nr = seccomp_syscall_resolve_name(std::string(call.name).c_str());
  if (nr == __NR_SCMP_ERROR) return {};  // not a syscall on this arch (e.g. poll on arm64)
  int rc = 0;
  switch (call.args) {
    case Args::kAny: rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0); break;
    case Args::kNoExec: rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)); break;
    case Args::kVcpuIoctls:
      for (unsigned long cmd : {static_cast<unsigned long>(KVM_RUN), static_cast<unsigned long>(KVM_IRQ_LINE)}) {
        rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff, cmd));
      }
      break;
    case Args::kTermiosIoctls:
      for (unsigned long cmd : {static_cast<unsigned long>(TCGETS), static_cast<unsigned long>(TCSETS),
                                static_cast<unsigned long>(TCSETSW), static_cast<unsigned long>(TCSETSF)}) {
        rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff, cmd));
      }
      break;
  }
  if (rc < 0) return Error::internal("seccomp rule for " + std::string(call.name) + ": error " + std::to_string(rc));
  return {};
}

}  // namespace

std::span<const AllowedCall> policy(Role role) {
  switch (role) {
    case Role::kVcpu: return kVcpu;
    case Role::kControl: return kControl;
    case Role::kConsole: return kConsole;
  }
  return {};
}

Result<CompiledFilter> compile(Role role) {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(SCMP_ACT_KILL_PROCESS));
  if (!ctx) return Error::internal("seccomp_init failed");
  // Only the native arch is in the filter: x32 and other foreign ABIs hit the default action.
  for (const AllowedCall& call : policy(role)) EW_TRY(add_rule(ctx.get(), call));
  // libseccomp 2.5 exports BPF only to a file descriptor: go through a memfd.
  UniqueFd mem(static_cast<int>(::syscall(SYS_memfd_create, "seccomp-bpf", MFD_CLOEXEC)));
  if (!mem.valid()) return errno_error("memfd_create for the seccomp program");
  if (int rc = seccomp_export_bpf(ctx.get(), mem.get()); rc < 0) {
    return Error::internal("exporting the seccomp program failed (error " + std::to_string(rc) + ")");
  }
  const off_t size = ::lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0) return Error::internal("seccomp program has a bad size");
  CompiledFilter f;
  f.program.resize(static_cast<size_t>(size) / sizeof(sock_filter));
  if (::pread(mem.get(), f.program.data(), static_cast<size_t>(size), 0) != size) {
    return errno_error("reading back the seccomp program");
  }
  return f;
}

Status install(const CompiledFilter& filter) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno_error("setting no_new_privs");
  sock_fprog prog{static_cast<unsigned short>(filter.program.size()), const_cast<sock_filter*>(filter.program.data())};
  // No TSYNC: the filter is this thread's alone (each thread role has its own).
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) return errno_error("installing the seccomp filter");
  return {};
}

Status jail_current_thread(Role role) {
  EW_ASSIGN(CompiledFilter f, compile(role));
  return install(f);
}

}  // namespace edgeward::vmm::jail
