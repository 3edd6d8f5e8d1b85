#include "vmm-lite/jail/seccomp_compiler.h"

#include <seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "common/errno_error.h"
#include "common/unique_fd.h"

namespace edgeward::vmm::jail {
namespace {

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

Status add_rule(scmp_filter_ctx ctx, uint32_t arch, const AllowedCall& call) {
  const std::string name(call.name);
  if (seccomp_syscall_resolve_name_arch(arch, name.c_str()) < 0) return {};  // not a syscall there (poll on arm64)
  // libseccomp takes the number on the arch it runs on and translates it by name for the filter's.
  const int nr = seccomp_syscall_resolve_name(name.c_str());
  if (nr < 0) {
    return Error::unsupported("seccomp: " + name + " is not a system call on the build host's arch, so libseccomp " +
                              "cannot translate it for the target; build on an x86_64 or aarch64 host");
  }
  int rc = 0;
  auto masked_eq = [&](unsigned arg, uint64_t mask, uint64_t value) {
    rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask, value));
  };
  switch (call.args) {
    case Args::kAny: rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0); break;
    case Args::kNoExec: masked_eq(2, kExecProt, 0); break;
    case Args::kVcpuIoctls:
      for (unsigned long cmd : kVcpuIoctlCmds) masked_eq(1, 0xffffffff, cmd);
      break;
    case Args::kTermiosIoctls:
      for (unsigned long cmd : kTermiosIoctlCmds) masked_eq(1, 0xffffffff, cmd);
      break;
  }
  if (rc < 0) return Error::internal("seccomp rule for " + name + ": error " + std::to_string(rc));
  return {};
}

}  // namespace

Result<std::vector<sock_filter>> compile_with_libseccomp(Role role, uint32_t arch) {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(SCMP_ACT_KILL_PROCESS));
  if (!ctx) return Error::internal("seccomp_init failed");
  if (arch != SCMP_ARCH_NATIVE && arch != seccomp_arch_native()) {
    if (int rc = seccomp_arch_add(ctx.get(), arch); rc < 0) {
      return Error::unsupported("libseccomp cannot build filters for arch token " + std::to_string(arch));
    }
    if (int rc = seccomp_arch_remove(ctx.get(), SCMP_ARCH_NATIVE); rc < 0) {
      return Error::internal("removing the native arch from the seccomp filter: error " + std::to_string(rc));
    }
  }
  for (const AllowedCall& call : policy(role)) EW_TRY(add_rule(ctx.get(), arch, call));
  // libseccomp 2.5 exports BPF only to a file descriptor: go through a memfd.
  UniqueFd mem(static_cast<int>(::syscall(SYS_memfd_create, "seccomp-bpf", MFD_CLOEXEC)));
  if (!mem.valid()) return errno_error("memfd_create for the seccomp program");
  if (int rc = seccomp_export_bpf(ctx.get(), mem.get()); rc < 0) {
    return Error::internal("exporting the seccomp program failed (error " + std::to_string(rc) + ")");
  }
  const off_t size = ::lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0) return Error::internal("seccomp program has a bad size");
  std::vector<sock_filter> program(static_cast<size_t>(size) / sizeof(sock_filter));
  if (::pread(mem.get(), program.data(), static_cast<size_t>(size), 0) != size) {
    return errno_error("reading back the seccomp program");
  }
  return program;
}

std::string libseccomp_version() {
  const scmp_version* v = seccomp_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro);
}

}  // namespace edgeward::vmm::jail
