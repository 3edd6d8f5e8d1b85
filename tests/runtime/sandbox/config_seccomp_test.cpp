// The config's seccomp profile as a filter (runtime/sandbox/config_seccomp.h), loaded in a forked
// child that then makes the calls: errno actions (default and custom), argument conditions (AND,
// OR on a repeated index, MASKED_EQ), kill, names unknown to this arch, and that a strict
// profile still lets edgeward's own filter be stacked after it. Error cases first.
#include "runtime/sandbox/config_seccomp.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

#include "tests/runtime/sandbox/seccomp_probe.h"

namespace edgeward::sandbox {
namespace {

SeccompProfile allow_but(std::vector<SeccompRule> rules) { return {"SCMP_ACT_ALLOW", std::nullopt, {}, {}, std::move(rules)}; }

// Loads `filter` in a child and runs `check` there; returns the child's wait status.
int in_child(const Filter& filter, const std::function<int()>& check) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !filter.load()) _exit(100);
    _exit(check());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// errno of a raw syscall that is expected to fail (0 when it succeeded).
int err_of(long rc) { return rc < 0 ? errno : 0; }

TEST(ConfigSeccomp, RefusesActionsTheParserWouldHaveRefused) {
  EW_SKIP_WITHOUT_SECCOMP();
  auto r = build_config_filter(allow_but({{{"mkdir"}, "SCMP_ACT_TRACE", std::nullopt, {}}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("linux.seccomp.syscalls[0].action: action \"SCMP_ACT_TRACE\" is not supported"),
            std::string::npos)
      << r.error().message;
  EXPECT_FALSE(build_config_filter({"SCMP_ACT_NOTIFY", std::nullopt, {}, {}, {}}).ok());
  auto op = build_config_filter(allow_but({{{"kill"}, "SCMP_ACT_ERRNO", 1, {{0, 1, 0, "SCMP_CMP_ABOUT"}}}}));
  ASSERT_FALSE(op.ok());
  EXPECT_NE(op.error().message.find("linux.seccomp.syscalls[0].args[0].op: unknown operator"), std::string::npos);
}

TEST(ConfigSeccomp, ErrnoRulesWithACustomErrnoAndUnknownNamesSkipped) {
  EW_SKIP_WITHOUT_SECCOMP();
  auto f = build_config_filter(allow_but({{{"mkdir", "mkdirat", "no_such_syscall_here"}, "SCMP_ACT_ERRNO", 122, {}},
                                          {{"rmdir"}, "SCMP_ACT_ALLOW", std::nullopt, {}}}));  // = default: skipped
  ASSERT_TRUE(f.ok()) << f.error().message;
  const int status = in_child(*f, [] {
    if (mkdir("/nonexistent-edgeward/x", 0755) == 0 || errno != 122) return 1;
    if (rmdir("/nonexistent-edgeward/x") == 0 || errno != ENOENT) return 2;  // not in the profile: the kernel's answer
    return 0;
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST(ConfigSeccomp, ArgumentConditions) {
  EW_SKIP_WITHOUT_SECCOMP();
  auto f = build_config_filter(allow_but({
      {{"getpgid"}, "SCMP_ACT_ERRNO", 99, {{0, 12345, 0, "SCMP_CMP_EQ"}}},
      {{"getpgid"}, "SCMP_ACT_ERRNO", 97, {{0, 0xff00, 0x1200, "SCMP_CMP_MASKED_EQ"}}},
      {{"getsid"}, "SCMP_ACT_ERRNO", 96, {{0, 111, 0, "SCMP_CMP_EQ"}, {0, 222, 0, "SCMP_CMP_EQ"}}},  // OR
      {{"kill"}, "SCMP_ACT_ERRNO", 95, {{0, 999999, 0, "SCMP_CMP_GE"}, {1, 0, 0, "SCMP_CMP_EQ"}}},  // AND
  }));
  ASSERT_TRUE(f.ok()) << f.error().message;
  const int status = in_child(*f, [] {
    if (err_of(syscall(SYS_getpgid, 12345)) != 99) return 1;
    if (err_of(syscall(SYS_getpgid, 0x1234)) != 97) return 2;
    if (err_of(syscall(SYS_getpgid, 0x3434)) != ESRCH) return 3;
    if (err_of(syscall(SYS_getsid, 111)) != 96 || err_of(syscall(SYS_getsid, 222)) != 96) return 4;
    if (err_of(syscall(SYS_getsid, 333)) != ESRCH) return 5;
    if (err_of(syscall(SYS_kill, 1000000, 0)) != 95) return 6;
    if (err_of(syscall(SYS_kill, 1000000, SIGCONT)) != ESRCH) return 7;  // second condition false
    return 0;
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST(ConfigSeccomp, KillProcess) {
  EW_SKIP_WITHOUT_SECCOMP();
  auto f = build_config_filter(allow_but({{{"getppid"}, "SCMP_ACT_KILL_PROCESS", std::nullopt, {}}}));
  ASSERT_TRUE(f.ok()) << f.error().message;
  const int status = in_child(*f, [] { return static_cast<int>(syscall(SYS_getppid) > 0 ? 1 : 2); });
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) << "status " << status;
}

TEST(ConfigSeccomp, AStrictDefaultStillLetsAnotherFilterBeStackedAfterIt) {
  EW_SKIP_WITHOUT_SECCOMP();
  // Deny by default (errno 38) except exit: edgeward's own filter must still load after it.
  auto strict = build_config_filter({"SCMP_ACT_ERRNO", 38, {"SCMP_ARCH_X86_64"}, {},
                                     {{{"exit", "exit_group"}, "SCMP_ACT_ALLOW", std::nullopt, {}},
                                      {{"seccomp"}, "SCMP_ACT_ERRNO", 1, {}}}});  // has no effect (header)
  ASSERT_TRUE(strict.ok()) << strict.error().message;
  auto second = build_config_filter(allow_but({{{"getuid"}, "SCMP_ACT_ERRNO", 21, {}}}));
  ASSERT_TRUE(second.ok()) << second.error().message;
  const Filter& then = *second;
  const int status = in_child(*strict, [&then] {
    if (err_of(syscall(SYS_getppid)) != 38) return 1;  // the default action
    if (!then.load()) return 2;
    // Both answer ERRNO: equal precedence, the filter loaded last gives the errno (the kernel's rule).
    if (err_of(syscall(SYS_getuid)) != 21) return 3;
    if (err_of(syscall(SYS_getgid)) != 38) return 4;   // the second allows it, the first does not
    return 0;
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

}  // namespace
}  // namespace edgeward::sandbox
