// x86_64: PTRACE_GETREGS/SETREGS on user_regs_struct. At a seccomp stop orig_rax holds the
// syscall number (the kernel re-reads it, -1 skips the call) and rax the return value.
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runtime/sandbox/arch/arch.h"

namespace edgeward::sandbox::arch {

const int kSyscallInsnBytes = 2;
const uint32_t kAuditArch = AUDIT_ARCH_X86_64;

static_assert(sizeof(user_regs_struct) <= sizeof(SyscallRegs::raw));

Result<SyscallRegs> get_regs(pid_t tid) {
  SyscallRegs r;
  user_regs_struct u{};
  if (ptrace(PTRACE_GETREGS, tid, nullptr, &u) != 0) {
    return Error::io("PTRACE_GETREGS on task " + std::to_string(tid) + ": " + std::strerror(errno));
  }
  std::memcpy(r.raw, &u, sizeof u);
  r.nr = static_cast<int64_t>(u.orig_rax);
  r.args[0] = u.rdi;
  r.args[1] = u.rsi;
  r.args[2] = u.rdx;
  r.args[3] = u.r10;
  r.args[4] = u.r8;
  r.args[5] = u.r9;
  r.ret = static_cast<int64_t>(u.rax);
  r.ip = u.rip;
  return r;
}

void rewind_to_reissue(SyscallRegs& r) {
  r.ret = r.nr;  // the instruction re-reads the number from rax
  r.ip -= static_cast<uint64_t>(kSyscallInsnBytes);
}

Status set_regs(pid_t tid, const SyscallRegs& r) {
  user_regs_struct u{};
  std::memcpy(&u, r.raw, sizeof u);
  u.orig_rax = static_cast<uint64_t>(r.nr);
  u.rdi = r.args[0];
  u.rsi = r.args[1];
  u.rdx = r.args[2];
  u.r10 = r.args[3];
  u.r8 = r.args[4];
  u.r9 = r.args[5];
  u.rax = static_cast<uint64_t>(r.ret);
  u.rip = r.ip;
  if (ptrace(PTRACE_SETREGS, tid, nullptr, &u) != 0) {
    return Error::io("PTRACE_SETREGS on task " + std::to_string(tid) + ": " + std::strerror(errno));
  }
  return {};
}

}  // namespace edgeward::sandbox::arch
