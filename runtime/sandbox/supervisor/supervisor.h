// The ptrace supervisor: follows the sandbox's init (the root, init.h) and every thread and child
// of the workload (PTRACE_SEIZE with TRACESECCOMP, TRACECLONE/FORK/VFORK/EXEC, EXITKILL), answers
// each SECCOMP_RET_TRACE stop with allow / deny(errno) / kill from decisions.h, and gives every
// task a read-only scratch region (mapped by injecting an mmap into the task on its first
// inspected call) where checked paths are pinned. When the filter notifies (open and stat
// families), it takes the filter's listener at the sandbox's first traced call (the workload's
// execve, before its first instruction) and runs the notification thread (notifier.h) beside
// the ptrace loop. The run's outcome is the workload's end (the init's only child).
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <unordered_map>

#include "common/result.h"
#include "runtime/sandbox/identity.h"
#include "runtime/sandbox/policy.h"
#include "runtime/sandbox/run_result.h"
#include "runtime/sandbox/supervisor/decisions.h"
#include "runtime/sandbox/supervisor/notifier.h"
#include "runtime/sandbox/supervisor/report.h"
#include "runtime/sandbox/supervisor/tracee.h"

namespace edgeward::sandbox {

// Attaches to `root` (PTRACE_SEIZE); call before the root runs anything worth watching.
Status seize(pid_t root);

class Supervisor {
 public:
  // `host_network`: the workload shares a network namespace not its own (--net host, or a joined
  // one); `identity`, `maps`: the workload's ids and how the sandbox maps them (the notification
  // thread takes their host ids).
  Supervisor(const Policy& policy, pid_t root, bool host_network, const Identity& identity = {},
             const IdMaps& maps = caller_maps());

  // Runs until every traced task is gone; fills exit status, rusage, denials.
  void run(RunResult& out);
  // The init is not pid 1 of its pid namespace (a joined one, namespaces.h): when it ends, every
  // other task of the sandbox is killed, as the end of a pid 1 would have killed them.
  void end_all_with_root() { end_all_with_root_ = true; }

 private:
  void on_stop(Tracee& t, int status);
  void on_seccomp(Tracee& t);
  void start_injection(Tracee& t, const arch::SyscallRegs& regs);
  void finish_injection(Tracee& t);
  void finish_copy_back(Tracee& t);
  void refuse(Tracee& t, arch::SyscallRegs& regs, std::string_view name, const Verdict& v);
  bool touches_scratch(uint64_t addr, uint64_t len) const;
  void kill_task(Tracee& t);
  void take_listener(pid_t from);
  Tracee& task(pid_t tid);

  const Policy& policy_;
  pid_t root_;                // the namespace's init (init.h)
  pid_t workload_ = 0;        // the init's child: its end is the run's outcome
  bool ended_ = false;        // the outcome is recorded
  int root_fault_ = 0;        // a fault signal at the init, which was killed for it
  bool end_all_with_root_ = false;
  bool ending_ = false;       // the init ended with end_all_with_root_: every task left is killed
  bool host_network_;
  Identity identity_;
  IdMaps maps_;
  RunResult* out_ = nullptr;
  Report* report_ = nullptr;
  bool listener_checked_ = false;
  std::unique_ptr<Notifier> notifier_;
  std::map<pid_t, Tracee> tasks_;
  std::unordered_map<long, const DecisionEntry*> by_nr_;
  std::unordered_map<long, const SyscallRule*> denied_;  // the policy's action="deny" rules
  long mmap_nr_ = -1;
};

}  // namespace edgeward::sandbox
