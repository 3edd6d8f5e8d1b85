// The VMM's seccomp policies: reviewed as data, compiled at build time to exactly what libseccomp
// compiles at run time, and enforced: a call outside a role's policy kills the process.
#include "vmm-lite/jail/seccomp_filters.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <functional>
#include <set>

#include "vmm-lite/jail/seccomp_compiler.h"
#include "vmm-lite/jail/seccomp_programs.h"

namespace edgeward::vmm::jail {
namespace {

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

// The programs seccomp_gen compiled on the build host for the target arch (a cross build: another
// arch, another libseccomp build) are instruction for instruction what libseccomp compiles here.
TEST(SeccompPrograms, EmbeddedProgramIsWhatLibseccompCompilesAtRunTime) {
  ASSERT_EQ(libseccomp_version(), generated::kLibseccompVersion) << "the build host's libseccomp differs from the target's";
  // qemu-user has no seccomp(2), so libseccomp would find no support for kill-process there: tell
  // it the level seccomp_gen uses. On a real kernel it probes, proving the level changes nothing.
  if (under_qemu_user()) {
    ASSERT_EQ(seccomp_api_set(3), 0);
  }
  for (Role role : kRoles) {
    auto compiled = compile_with_libseccomp(role, SCMP_ARCH_NATIVE);
    ASSERT_TRUE(compiled.ok()) << compiled.error().message;
    const std::span<const sock_filter> embedded = program(role);
    ASSERT_EQ(embedded.size(), compiled->size()) << role_name(role);
    for (size_t i = 0; i < embedded.size(); ++i) {
      const sock_filter& a = embedded[i];
      const sock_filter& b = (*compiled)[i];
      EXPECT_TRUE(a.code == b.code && a.jt == b.jt && a.jf == b.jf && a.k == b.k) << role_name(role) << " instruction " << i;
    }
  }
}

// Every program first checks the arch: the build's target, never the build host's.
TEST(SeccompPrograms, CheckTheTargetArchFirst) {
#if defined(__x86_64__)
  constexpr uint32_t kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
  constexpr uint32_t kArch = AUDIT_ARCH_AARCH64;
#endif
  for (Role role : kRoles) {
    const std::span<const sock_filter> p = program(role);
    ASSERT_GE(p.size(), 3u) << role_name(role);
    EXPECT_EQ(p[0].code, BPF_LD | BPF_W | BPF_ABS) << role_name(role);
    EXPECT_EQ(p[0].k, offsetof(seccomp_data, arch)) << role_name(role);
    EXPECT_EQ(p[1].code, BPF_JMP | BPF_JEQ | BPF_K) << role_name(role);
    EXPECT_EQ(p[1].k, kArch) << role_name(role);
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
