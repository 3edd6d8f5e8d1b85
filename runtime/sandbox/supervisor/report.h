// The run's report as both supervisor threads (ptrace loop and notification thread) add to it:
// inspected calls and denials, under one lock.
#pragma once

#include <mutex>
#include <string>

#include "runtime/sandbox/run_result.h"

namespace edgeward::sandbox {

class Report {
 public:
  explicit Report(RunResult& out) : out_(out) {}

  void inspected(bool notified) {
    std::lock_guard lock(mutex_);
    ++out_.traced_calls;
    if (notified) ++out_.notified_calls;
  }

  void denial(Denial d) {
    std::lock_guard lock(mutex_);
    ++out_.denials_total;
    if (out_.denials.size() < kMaxDenialsKept) out_.denials.push_back(std::move(d));
  }

 private:
  std::mutex mutex_;
  RunResult& out_;
};

}  // namespace edgeward::sandbox
