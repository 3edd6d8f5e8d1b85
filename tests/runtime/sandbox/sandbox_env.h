// Shared by the sandbox's integration tests and the escape battery: where the test rootfs is,
// whether this machine can run the sandbox at all (and if not, why: the tests skip with that
// reason), and a one-call runner.
//
// EW_SANDBOX_STRESS_PERCENT (1..100), when the test runs with it, goes into every workload's
// environment: the race and flood programs run that share of their iterations (programs/stress.h;
// the arm64 test host sets it).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/sandbox/default_policy.h"
#include "runtime/sandbox/sandbox.h"
#include "tests/runtime/sandbox/programs/stress.h"

namespace edgeward::sandbox::testing {

inline std::string rootfs() { return EW_SANDBOX_ROOTFS; }

// Why the sandbox cannot run here, or nullopt. Probes what it needs instead of guessing:
// ptrace of a child (qemu-user does not emulate ptrace) and user namespaces.
inline std::optional<std::string> unsupported_reason() {
  struct stat st {};
  if (stat((rootfs() + "/bin/busybox").c_str(), &st) != 0) {
    return "no test rootfs at " + rootfs() + " (only built natively: a cross build has no busybox-static for the target)";
  }
  const pid_t child = fork();
  if (child == 0) {
    const bool userns = unshare(CLONE_NEWUSER) == 0;
    pause();
    _exit(userns ? 0 : 1);
  }
  std::optional<std::string> reason;
  if (ptrace(PTRACE_SEIZE, child, nullptr, nullptr) != 0) {
    reason = std::string("ptrace is not available here (") + strerror(errno) +
             "); under qemu-user (aarch64 tests) ptrace and seccomp of a tracee are not emulated: "
             "these tests run on a real arm64 kernel in ctest sandbox.testhost.arm64 (label system)";
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, __WALL);
  if (!reason && WIFEXITED(status) && WEXITSTATUS(status) == 1) reason = "user namespaces are disabled on this machine";
  return reason;
}

#define EW_SKIP_WITHOUT_SANDBOX()                                                   \
  do {                                                                              \
    if (auto why = ::edgeward::sandbox::testing::unsupported_reason()) GTEST_SKIP() << *why; \
  } while (0)

// The workload environment that carries EW_SANDBOX_STRESS_PERCENT in (empty when it is unset).
inline std::vector<std::string> stress_env() {
  const char* percent = getenv("EW_SANDBOX_STRESS_PERCENT");
  if (!percent) return {};
  return {std::string("EW_SANDBOX_STRESS_PERCENT=") + percent};
}

inline Result<RunResult> run(std::vector<std::string> argv, const Policy& policy, uint64_t mem = 256ull << 20,
                             uint64_t pids = 64) {
  SandboxConfig c;
  c.rootfs = rootfs();
  c.policy = policy;
  c.memory_bytes = mem;
  c.pids = pids;
  c.argv = std::move(argv);
  c.env = stress_env();
  return run_sandbox(c);
}

inline Policy test_policy() {
  auto p = load_policy_file(EW_SANDBOX_TEST_POLICY);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return p.ok() ? *p : Policy{};
}

// `/bin/sh -c script` in the test rootfs under the test policy.
inline SandboxConfig shell_config(const std::string& script) {
  SandboxConfig c;
  c.rootfs = rootfs();
  c.policy = test_policy();
  c.argv = {"/bin/sh", "-c", script};
  return c;
}

}  // namespace edgeward::sandbox::testing
