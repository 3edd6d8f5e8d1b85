// Architecture layer of the sandbox supervisor: reading and changing a stopped tracee's syscall
// registers. One implementation per arch (arch/x86_64/, arch/arm64/), chosen by CMake; the
// supervisor never asks which arch it runs on. Syscall numbers come from libseccomp's
// resolution, never from this layer.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "common/result.h"

namespace edgeward::sandbox::arch {

// A tracee's registers at a syscall stop, in an arch-neutral view plus the raw arch state.
struct SyscallRegs {
  int64_t nr = -1;          // syscall number (-1: skip the syscall)
  uint64_t args[6] = {};    // arguments as the kernel will read them
  int64_t ret = 0;          // return value register
  uint64_t ip = 0;          // instruction pointer (just after the syscall instruction)
  alignas(16) unsigned char raw[512];  // the arch's full register block
};

// Bytes of the syscall instruction (x86_64 `syscall` = 2, arm64 `svc #0` = 4): rewinding the
// instruction pointer by this re-executes the syscall.
extern const int kSyscallInsnBytes;

// At a syscall-exit stop, turns `r` (the registers of the call's entry stop) into a state that
// re-executes that call when the task resumes: the instruction pointer rewound, and what the
// syscall instruction reads its number and first argument from restored (x86_64 re-reads the
// number from rax; arm64 reads x8, which a stop never changes, and x0, which holds the result).
void rewind_to_reissue(SyscallRegs& r);

// AUDIT_ARCH_* of the native ABI (the only one the filter lets through).
extern const uint32_t kAuditArch;

Result<SyscallRegs> get_regs(pid_t tid);

// Writes nr, args, ret and ip back (whatever was changed in the neutral view). Where one register
// holds both the first argument and the result (arm64 x0), a changed `ret` wins: that is an exit
// stop's result (or a skipped call's, nr -1); otherwise args[0] is written.
Status set_regs(pid_t tid, const SyscallRegs& regs);

}  // namespace edgeward::sandbox::arch
