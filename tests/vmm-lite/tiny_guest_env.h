// Where the tiny-guest tests run and what they run with. They boot on the local /dev/kvm when it is
// usable; without one they run inside the emulated x86_64 test host instead (the ctest
// vmm.testhost.tiny_guests, tests/vmm-lite/system/tiny-guests), whose script points them at the
// copies of the guests and of edgeward it carries and asks for longer waits (KVM nested under TCG
// is ~1,000x slower). Every test says which path it ran on.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "vmm-lite/kvm/kvm.h"

namespace edgeward::vmm::tiny {

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// EW_TINY_GUEST_DIR / EW_TINY_EDGEWARD override the build-tree paths (the test host sets them).
inline std::string guest(const char* name) { return env_or("EW_TINY_GUEST_DIR", EW_GUEST_DIR) + "/" + name + ".bin"; }
inline std::string edgeward_binary() { return env_or("EW_TINY_EDGEWARD", EW_EDGEWARD_BINARY); }

// Multiplies every wait of these tests (EW_TINY_TIMEOUT_SCALE, a whole number, default 1).
inline int timeout_scale() {
  const int s = std::atoi(env_or("EW_TINY_TIMEOUT_SCALE", "1").c_str());
  return s > 0 ? s : 1;
}
inline std::chrono::seconds scaled(std::chrono::seconds s) { return s * timeout_scale(); }

// For SetUp(): skips, pointing at the test host, when there is no usable /dev/kvm; otherwise
// prints which KVM the test runs on (EW_TINY_WHERE names it in the test host).
inline void require_kvm_and_say_where() {
  auto kvm = Kvm::open();
  if (!kvm) {
    GTEST_SKIP() << "SKIPPED: no usable /dev/kvm (" << kvm.error().message
                 << "); these tests run inside the x86_64 test host instead: ctest -R vmm.testhost.tiny_guests";
  }
  std::printf("[   KVM    ] this test runs %s\n", env_or("EW_TINY_WHERE", "on the local /dev/kvm").c_str());
}

}  // namespace edgeward::vmm::tiny
