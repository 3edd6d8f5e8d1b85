// arm64: PTRACE_GETREGSET NT_PRSTATUS (user_pt_regs) for x0..x5 / pc, and NT_ARM_SYSTEM_CALL for
// the syscall number (x8 is not re-read after a syscall-entry stop; -1 skips the call, and x0 is
// then the return value). x0 is the first argument at an entry stop and the result at an exit
// stop: a result the supervisor changed (sendmmsg's count of 1) must land in x0, or the task sees
// its first argument (the fd) as the result.
#include <elf.h>
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include <asm/ptrace.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runtime/sandbox/arch/arch.h"

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif

namespace edgeward::sandbox::arch {

const int kSyscallInsnBytes = 4;
const uint32_t kAuditArch = AUDIT_ARCH_AARCH64;

static_assert(sizeof(user_pt_regs) <= sizeof(SyscallRegs::raw));

namespace {
Error regs_error(const char* what, pid_t tid) {
  return Error::io(std::string(what) + " on task " + std::to_string(tid) + ": " + std::strerror(errno));
}
}  // namespace

Result<SyscallRegs> get_regs(pid_t tid) {
  SyscallRegs r;
  user_pt_regs u{};
  iovec iov{&u, sizeof u};
  if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) != 0) return regs_error("PTRACE_GETREGSET(PRSTATUS)", tid);
  int nr = -1;
  iovec niov{&nr, sizeof nr};
  if (ptrace(PTRACE_GETREGSET, tid, NT_ARM_SYSTEM_CALL, &niov) != 0) {
    return regs_error("PTRACE_GETREGSET(SYSTEM_CALL)", tid);
  }
  std::memcpy(r.raw, &u, sizeof u);
  r.nr = nr;
  for (int i = 0; i < 6; ++i) r.args[i] = u.regs[i];
  r.ret = static_cast<int64_t>(u.regs[0]);
  r.ip = u.pc;
  return r;
}

void rewind_to_reissue(SyscallRegs& r) {
  r.ret = static_cast<int64_t>(r.args[0]);  // x0 held the injected call's result
  r.ip -= static_cast<uint64_t>(kSyscallInsnBytes);
}

Status set_regs(pid_t tid, const SyscallRegs& r) {
  user_pt_regs u{};
  std::memcpy(&u, r.raw, sizeof u);
  const uint64_t x0 = u.regs[0];  // as get_regs read it: args[0] and ret both started as x0
  for (int i = 1; i < 6; ++i) u.regs[i] = r.args[i];
  // x0 is both the first argument and the return value: a skipped call (nr -1) or a changed
  // result reports `ret`; otherwise the (possibly changed) first argument.
  const bool result = r.nr == -1 || static_cast<uint64_t>(r.ret) != x0;
  u.regs[0] = result ? static_cast<uint64_t>(r.ret) : r.args[0];
  u.pc = r.ip;
  iovec iov{&u, sizeof u};
  if (ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) != 0) return regs_error("PTRACE_SETREGSET(PRSTATUS)", tid);
  int nr = static_cast<int>(r.nr);
  iovec niov{&nr, sizeof nr};
  if (ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &niov) != 0) {
    return regs_error("PTRACE_SETREGSET(SYSTEM_CALL)", tid);
  }
  return {};
}

}  // namespace edgeward::sandbox::arch
