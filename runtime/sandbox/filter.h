// Builds the workload's seccomp-bpf filter from a policy with libseccomp: allowed calls run at
// kernel speed, "trace" calls stop in the supervisor (SECCOMP_RET_TRACE), denied calls fail with
// their errno, everything else kills the process. Foreign ABIs (x32, int 0x80 / i386, arm32)
// hit the bad-arch action, which also kills. A few invariants are added whatever the policy
// says (they protect the sandbox itself, see filter.cpp).
#pragma once

#include <linux/filter.h>
#include <seccomp.h>

#include <functional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/sandbox/policy.h"

namespace edgeward::sandbox {

// SECCOMP_RET_DATA of our trace rules.
constexpr uint16_t kTraceData = 0xed;

class Filter {
 public:
  explicit Filter(scmp_filter_ctx ctx) : ctx_(ctx) {}
  Filter(Filter&& o) noexcept : ctx_(o.ctx_), notify_bpf_(std::move(o.notify_bpf_)) { o.ctx_ = nullptr; }
  Filter& operator=(Filter&&) = delete;
  Filter(const Filter&) = delete;
  ~Filter() {
    if (ctx_) seccomp_release(ctx_);
  }

  // Installs the filter on the calling thread. Call in the child only. With `no_new_privs`
  // (libseccomp's default) no_new_privs is set first; without it the caller must hold
  // CAP_SYS_ADMIN in its user namespace (the kernel's rule for a filter without no_new_privs).
  // A notifying filter is installed with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV where the
  // kernel has it (>= 5.19): once the supervisor has received a call, only a fatal signal
  // interrupts it, so a signal cannot make the task restart a call the supervisor already
  // performed (a second mkdir would fail with EEXIST).
  Status load(bool no_new_privs = true) const;

  // For notifying filters: exports the BPF program now (in the parent: libseccomp 2.5 cannot
  // set WAIT_KILLABLE_RECV itself, so load() installs the exported program directly).
  Status prepare_notify();

 private:
  scmp_filter_ctx ctx_;
  std::vector<sock_filter> notify_bpf_;
};

// `has_decision(name)` says whether the supervisor can decide a traced syscall; trace rules for
// other calls are refused with an error naming the rule. With `notify`, trace rules of calls
// for which notify(name) holds return SECCOMP_RET_USER_NOTIF instead (answered by the
// supervisor's notification thread, no ptrace stop); loading such a filter creates its
// listener (close-on-exec) in the loading process.
Result<Filter> build_filter(const Policy& policy, const std::function<bool(std::string_view)>& has_decision,
                            const std::function<bool(std::string_view)>& notify = {});

// Whether this kernel and libseccomp can run a notifying filter the supervisor can answer
// (SECCOMP_RET_USER_NOTIF, and SECCOMP_ADDFD_FLAG_SEND: Linux >= 5.14).
bool user_notify_supported();

}  // namespace edgeward::sandbox
