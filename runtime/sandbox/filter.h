// Builds the workload's seccomp-bpf filter from a policy with libseccomp: allowed calls run at
// kernel speed, "trace" calls stop in the supervisor (SECCOMP_RET_TRACE), denied calls fail with
// their errno, everything else kills the process. Foreign ABIs (x32, int 0x80 / i386, arm32)
// hit the bad-arch action, which also kills. A few invariants are added whatever the policy
// says (they protect the sandbox itself, see filter.cpp).
#pragma once

#include <seccomp.h>

#include <functional>
#include <string_view>

#include "common/result.h"
#include "runtime/sandbox/policy.h"

namespace edgeward::sandbox {

// SECCOMP_RET_DATA of our trace rules.
constexpr uint16_t kTraceData = 0xed;

class Filter {
 public:
  explicit Filter(scmp_filter_ctx ctx) : ctx_(ctx) {}
  Filter(Filter&& o) noexcept : ctx_(o.ctx_) { o.ctx_ = nullptr; }
  Filter& operator=(Filter&&) = delete;
  Filter(const Filter&) = delete;
  ~Filter() {
    if (ctx_) seccomp_release(ctx_);
  }

  // Installs the filter on the calling thread (after no_new_privs). Call in the child only.
  Status load() const;

 private:
  scmp_filter_ctx ctx_;
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
