// The supervisor's decisions: one function per traced syscall (or per family, driven by a
// table), each looking only at registers and at what it copied out of the tracee, and rewriting
// path arguments to point at the tracee's read-only scratch region so that the kernel uses
// exactly the checked string (docs/sandbox.md, "TOCTOU").
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "runtime/sandbox/arch/arch.h"
#include "runtime/sandbox/policy.h"
#include "runtime/sandbox/supervisor/tracee.h"

namespace edgeward::sandbox {

struct Verdict {
  enum Kind { kAllow, kDeny, kKill, kNeedScratch } kind = kAllow;
  int err = 0;
  std::string detail;  // what was refused (a path, a flag), for the report
  bool reported = true;  // false: an ordinary failure (ENOENT...), not a policy denial
};

struct CallContext {
  Tracee& task;
  arch::SyscallRegs& regs;
  const Policy& policy;
  bool host_network;  // sharing the host's network namespace, and so its abstract unix sockets
  // True when [addr, addr+len) touches any task's scratch region.
  std::function<bool(uint64_t addr, uint64_t len)> touches_scratch;
};

using Decide = Verdict (*)(CallContext&);

struct DecisionEntry {
  std::string_view name;  // libseccomp syscall name
  Decide decide;
};

std::span<const DecisionEntry> decisions();
bool has_decision(std::string_view name);

}  // namespace edgeward::sandbox
