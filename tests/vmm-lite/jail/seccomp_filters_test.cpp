// The VMM's seccomp policies: reviewed as data, and enforced: a call outside a role's policy
// kills the process.
#include "vmm-lite/jail/seccomp_filters.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <set>

namespace edgeward::vmm::jail {
namespace {

constexpr Role kRoles[] = {Role::kVcpu, Role::kControl, Role::kConsole};

bool under_qemu_user() {
#ifdef EW_CROSS_EMULATED
  return true;
#else
  return false;
#endif
}

// Runs `body` in a child after jailing it as `role`; returns the child's wait status.
int run_jailed(Role role, const std::function<void()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!jail_current_thread(role).ok()) ::_exit(100);
    body();
    ::syscall(SYS_exit, 0);  // thread exit: allowed in every role
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(SeccompPolicy, EveryRuleHasAReasonAndNoDangerousCallIsAllowed) {
  const std::set<std::string_view> never = {"execve", "execveat", "open", "openat", "socket", "connect",
                                            "ptrace", "fork", "clone", "clone3", "mount", "kill", "unshare"};
  for (Role role : kRoles) {
    ASSERT_FALSE(policy(role).empty());
    for (const AllowedCall& c : policy(role)) {
      EXPECT_GE(c.reason.size(), 10u) << c.name << " needs a real reason";
      EXPECT_EQ(never.count(c.name), 0u) << c.name << " must never be allowed to a VMM thread";
    }
  }
}

TEST(SeccompJail, ForbiddenSyscallFromAVcpuThreadKillsTheProcess) {
  if (under_qemu_user()) GTEST_SKIP() << "SKIPPED: qemu-user does not run seccomp filters for the guest";
  struct Case {
    const char* what;
    std::function<void()> call;
  };
  for (const Case& c : {Case{"openat", [] { ::syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY); }},
                        Case{"socket", [] { ::syscall(SYS_socket, AF_INET, SOCK_STREAM, 0); }},
                        Case{"execve", [] { ::syscall(SYS_execve, "/bin/true", nullptr, nullptr); }},
                        Case{"exec mapping", [] { ::syscall(SYS_mmap, nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }}}) {
    const int status = run_jailed(Role::kVcpu, c.call);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) << c.what << ": status " << status;
  }
}

TEST(SeccompJail, AllowedCallsStillWorkAndNoNewPrivsIsSet) {
  if (under_qemu_user()) GTEST_SKIP() << "SKIPPED: qemu-user does not run seccomp filters for the guest";
  const int ok = run_jailed(Role::kControl, [] {
    const char msg[] = "";
    if (::write(STDERR_FILENO, msg, 0) != 0) ::syscall(SYS_exit, 4);
  });
  EXPECT_TRUE(WIFEXITED(ok) && WEXITSTATUS(ok) == 0) << "status " << ok;

  // A jailed child parks on a futex (allowed); its status shows the filter and no_new_privs.
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!jail_current_thread(Role::kVcpu).ok()) ::_exit(100);
    static int word = 0;
    for (;;) ::syscall(SYS_futex, &word, 0 /* FUTEX_WAIT */, 0, nullptr, nullptr, 0);
  }
  std::string status;
  for (int i = 0; i < 200 && status.find("Seccomp:\t2") == std::string::npos; ++i) {
    ::usleep(10000);
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    status.assign(std::istreambuf_iterator<char>(in), {});
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  EXPECT_NE(status.find("Seccomp:\t2"), std::string::npos) << status;
  EXPECT_NE(status.find("NoNewPrivs:\t1"), std::string::npos) << status;
}

}  // namespace
}  // namespace edgeward::vmm::jail
