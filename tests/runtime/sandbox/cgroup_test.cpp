// Memory and pids limits enforced for real, per hierarchy: a child moved into a group with a
// small memory.max is OOM-killed when it touches more, and one under a small pids.max cannot
// fork past it. Each hierarchy the machine lacks (or cannot delegate to us) is a visible skip.
// Error case first: no hierarchy at all must say what was tried.
#include "runtime/sandbox/cgroup.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

namespace edgeward::sandbox {
namespace {

constexpr uint64_t kMemLimit = 16ull << 20;
constexpr uint64_t kPidsLimit = 4;

// Runs `body` in a child that waits until it has been moved into `cg`; returns its wait status.
template <typename Body>
int run_in(const Cgroup& cg, Body body) {
  int go[2];
  if (pipe(go) != 0) return -1;
  const pid_t child = fork();
  if (child == 0) {
    char c;
    close(go[1]);
    if (read(go[0], &c, 1) != 1) _exit(100);
    _exit(body());
  }
  close(go[0]);
  const bool added = cg.add(child).ok();
  if (!added) kill(child, SIGKILL);
  if (write(go[1], "g", 1) != 1) kill(child, SIGKILL);
  close(go[1]);
  int status = 0;
  waitpid(child, &status, 0);
  return added ? status : -1;
}

int touch_memory() {
  const size_t n = 64ull << 20;
  auto* p = static_cast<volatile char*>(std::malloc(n));
  if (!p) return 2;
  for (size_t i = 0; i < n; i += 4096) p[i] = 1;
  return 0;  // survived: the limit did not hold
}

// Forks up to 12 sleeping children, then reaps them; returns how many forks succeeded.
int fork_many() {
  pid_t kids[12];
  int made = 0;
  for (int i = 0; i < 12; ++i) {
    const pid_t p = fork();
    if (p == 0) {
      pause();
      _exit(0);
    }
    if (p > 0) kids[made++] = p;
  }
  for (int i = 0; i < made; ++i) {
    kill(kids[i], SIGKILL);
    waitpid(kids[i], nullptr, 0);
  }
  return made;
}

std::string controllers(const std::string& v2) {
  std::ifstream f(v2 + "/cgroup.controllers");
  std::string line;
  std::getline(f, line);
  return line;
}

void expect_limits_hold(const Cgroup& cg) {
  const int mem_status = run_in(cg, touch_memory);
  ASSERT_NE(mem_status, -1) << "could not move a child into the group";
  EXPECT_TRUE(WIFSIGNALED(mem_status) && WTERMSIG(mem_status) == SIGKILL)
      << "touching 64 MiB under a 16 MiB limit was not OOM-killed (status " << mem_status << ")";
  EXPECT_TRUE(cg.oom_killed());
  EXPECT_GT(cg.peak_memory(), 0u);

  const int pid_status = run_in(cg, fork_many);
  ASSERT_TRUE(WIFEXITED(pid_status)) << "status " << pid_status;
  EXPECT_GE(WEXITSTATUS(pid_status), 1) << "no fork worked at all";
  EXPECT_LE(WEXITSTATUS(pid_status), static_cast<int>(kPidsLimit) - 1) << "forked past pids.max = " << kPidsLimit;
}

TEST(Cgroup, NoHierarchySaysWhatWasTried) {
  const Cgroup cg = Cgroup::create_in({}, kMemLimit, kPidsLimit);
  EXPECT_EQ(cg.mode(), "none");
  EXPECT_NE(cg.why_none().find("no cgroup2 mount"), std::string::npos) << cg.why_none();
  EXPECT_NE(cg.why_none().find("no cgroup v1 memory and pids hierarchies"), std::string::npos) << cg.why_none();
  EXPECT_FALSE(cg.limits_memory());
  EXPECT_FALSE(cg.limits_pids());
}

TEST(Cgroup, V2WithoutControllersSaysWhichItOffers) {
  const CgroupMounts all = Cgroup::find_mounts();
  if (all.v2.empty()) GTEST_SKIP() << "no cgroup2 mount on this machine";
  const std::string ctl = controllers(all.v2);
  if (ctl.find("memory") != std::string::npos && ctl.find("pids") != std::string::npos) {
    GTEST_SKIP() << "cgroup2 at " << all.v2 << " has memory and pids: covered by V2LimitsAreEnforced";
  }
  const Cgroup cg = Cgroup::create_in({all.v2, "", ""}, kMemLimit, kPidsLimit);
  EXPECT_EQ(cg.mode(), "none");
  EXPECT_NE(cg.why_none().find("has no memory+pids controllers"), std::string::npos) << cg.why_none();
}

TEST(Cgroup, V2LimitsAreEnforced) {
  const CgroupMounts all = Cgroup::find_mounts();
  if (all.v2.empty()) GTEST_SKIP() << "no cgroup2 mount on this machine";
  const std::string ctl = controllers(all.v2);
  if (ctl.find("memory") == std::string::npos || ctl.find("pids") == std::string::npos) {
    GTEST_SKIP() << "cgroup2 at " << all.v2 << " offers only \"" << ctl
                 << "\": memory and pids are bound to cgroup v1 here, so v2 limits cannot be tested on this"
                    " machine (the ctest sandbox.system.cgroup2 checks them in the vmm-lite test host)";
  }
  const Cgroup cg = Cgroup::create_in({all.v2, "", ""}, kMemLimit, kPidsLimit);
  if (cg.mode() == "none") GTEST_SKIP() << "cgroup v2 refused us a group: " << cg.why_none();
  ASSERT_EQ(cg.mode(), "v2");
  expect_limits_hold(cg);
}

TEST(Cgroup, V1LimitsAreEnforced) {
  const CgroupMounts all = Cgroup::find_mounts();
  if (all.v1_memory.empty() || all.v1_pids.empty()) GTEST_SKIP() << "no cgroup v1 memory and pids hierarchies here";
  const Cgroup cg = Cgroup::create_in({"", all.v1_memory, all.v1_pids}, kMemLimit, kPidsLimit);
  if (cg.mode() == "none") GTEST_SKIP() << "cgroup v1 refused us a group: " << cg.why_none();
  ASSERT_EQ(cg.mode(), "v1");
  expect_limits_hold(cg);
}

}  // namespace
}  // namespace edgeward::sandbox
