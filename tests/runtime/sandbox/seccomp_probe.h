// Tests that build or load seccomp filters skip where libseccomp cannot start: the kernel (or
// qemu-user, which does not emulate seccomp: the aarch64 tests) offers none. In the aarch64 build
// they run on a real arm64 kernel instead, in ctest sandbox.testhost.arm64.
#pragma once

#include <gtest/gtest.h>
#include <seccomp.h>

#define EW_SKIP_WITHOUT_SECCOMP()                                                                        \
  do {                                                                                                   \
    scmp_filter_ctx probe = seccomp_init(SCMP_ACT_KILL_PROCESS);                                         \
    if (!probe) {                                                                                        \
      GTEST_SKIP() << "libseccomp cannot initialise here (no seccomp; qemu-user does not emulate it): "  \
                      "in the aarch64 build these tests run in ctest sandbox.testhost.arm64 (label system)"; \
    }                                                                                                    \
    seccomp_release(probe);                                                                              \
  } while (0)
