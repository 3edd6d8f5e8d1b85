// The seccomp user-notification side of the supervisor: a thread that answers the calls the
// filter marks SECCOMP_RET_USER_NOTIF (open and stat families, notify_call.h) without any
// ptrace stop. It runs without capabilities (so it opens files with the workload's rights, not
// root's) and with its own umask 0 (the task's umask is applied per call). Blocking FIFO opens
// are finished by short-lived helper threads so that they cannot stall it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <thread>
#include <unordered_map>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/sandbox/identity.h"
#include "runtime/sandbox/policy.h"
#include "runtime/sandbox/supervisor/notify_call.h"
#include "runtime/sandbox/supervisor/report.h"
#include "runtime/sandbox/supervisor/workload_namespaces.h"

namespace edgeward::sandbox {

class Notifier {
 public:
  // `listener`: the filter's notification descriptor; `root`: O_PATH descriptor of the
  // sandbox's root; `identity`, `maps`: the workload's ids and how they map (identity.h). The
  // thread takes the workload's host uid, gid and groups (privileged maps) or keeps the caller's
  // (mapped to 0).
  Notifier(UniqueFd listener, UniqueFd root, const Policy& policy, Report& report, const Identity& identity,
           const IdMaps& maps);
  ~Notifier();  // stops and joins the thread
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Before start(): the thread enters `pid`'s network, IPC and UTS namespaces before it drops
  // its privileges (workload_namespaces.h). Without it, and for a namespace it cannot enter, the
  // policy's namespaced sysctls are not readable.
  void enter_namespaces_of(pid_t pid) { namespaces_ = WorkloadNamespaces::of(pid); }

  Status start();

  // Takes the listener of `pid`'s seccomp filter (pidfd_getfd) and an O_PATH descriptor of its
  // root. Error when the task has no listener (the kernel refused the notifying filter and the
  // jail loaded the ptrace-only one).
  static Result<std::pair<UniqueFd, UniqueFd>> take_listener(pid_t pid);

 private:
  struct Shared {
    UniqueFd listener;
    UniqueFd root;
  };
  void loop();
  void answer(seccomp_notif& req);
  void wait_for_fifo(uint64_t id, Answer a);

  std::shared_ptr<Shared> shared_;
  Policy policy_;  // the thread's copy: its namespaced sysctls are cut to the namespaces it entered
  WorkloadNamespaces namespaces_;
  Report& report_;
  Identity identity_;
  IdMaps maps_;
  std::unordered_map<long, const NotifyEntry*> by_nr_;
  UniqueFd stop_;
  std::thread thread_;
  bool sync_wake_up_ = false;  // the listener hands the CPU over directly (Linux >= 6.6)
};

}  // namespace edgeward::sandbox
