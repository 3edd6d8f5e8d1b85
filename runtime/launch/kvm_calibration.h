// Is /dev/kvm fast enough to prefer a microVM? Measured, not assumed: a tiny guest (a few bytes
// of machine code, arch/<arch>/calibration_guest.cpp) runs a counted loop between two port/MMIO
// exits, in a child process killed after a hard time cap, so a software-emulated KVM (~1,000x
// slower than native) cannot stall the caller. The verdict is cached in the state directory, keyed
// by kernel release and CPU model, because it does not change while those stay the same.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"

namespace edgeward::launch {

// Raw figures of one calibration run (what the child reports).
struct CalibrationSample {
  bool kvm_usable = false;
  std::string unusable_reason;          // why not, when !kvm_usable
  bool timed_out = false;               // the hard cap was hit
  std::optional<uint64_t> loop_ns;      // guest time between the two exits
  uint32_t iterations = 0;
};

struct KvmVerdict {
  bool fast = false;
  std::string reason;                   // one line for `run` and `inspect`
  bool operator==(const KvmVerdict&) const = default;
};

struct CalibrationLimits {
  uint32_t iterations = 200000;                 // ~0.1-0.3 ms on hardware KVM
  std::chrono::milliseconds hard_cap{150};      // child killed after this
  uint64_t fast_below_ns = 10'000'000;          // loop slower than this: not fast
};

// Pure classification of a sample (tested with injected timings).
KvmVerdict classify(const CalibrationSample& s, const CalibrationLimits& limits);

// Runs the tiny guest once in a child process (no cache).
CalibrationSample run_calibration(const CalibrationLimits& limits, const char* kvm_path = "/dev/kvm");

// The cache key: kernel release and CPU model of this host.
std::string host_key();

// The verdict for this host: from <state_dir>/kvm-calibration when its key matches, else
// measured and written there (crash-safe; not when KVM is simply absent).
KvmVerdict kvm_verdict(const std::string& state_dir, const CalibrationLimits& limits = {});

}  // namespace edgeward::launch
