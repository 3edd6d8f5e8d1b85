// The sandbox running ordinary programs: busybox shell pipelines, a multi-threaded program, a
// fork-heavy script; exit status and signals, denials reported, limits, a clean environment and
// descriptor table. Error cases first.
#include "runtime/sandbox/sandbox.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {

using testing::rootfs;
using testing::run;
using testing::test_policy;

std::vector<std::string> sh(const std::string& script) { return {"/bin/sh", "-c", script}; }

TEST(SandboxRun, RefusesAMissingRootfs) {
  SandboxConfig c;
  c.rootfs = "/nonexistent-rootfs";
  c.argv = {"/bin/true"};
  auto r = run_sandbox(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("--rootfs"), std::string::npos) << r.error().message;
}

TEST(SandboxRun, RefusesAnEmptyCommand) {
  SandboxConfig c;
  c.rootfs = "/";
  auto r = run_sandbox(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no command"), std::string::npos);
}

// No layout is assumed: /dev and /proc are made when missing (as runc makes mount points), no
// /tmp is added; a mount point that cannot be a directory is refused with its name.
TEST(SandboxRun, MakesMissingMountPointsAndRefusesOnesThatAreNotDirectories) {
  EW_SKIP_WITHOUT_SANDBOX();
  char dir[] = "/tmp/edgeward-rootfs-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string d = dir;
  SandboxConfig c;
  c.rootfs = d;
  c.policy = test_policy();
  c.argv = {"/bin/true"};
  auto r = run_sandbox(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("execve /bin/true inside the rootfs"), std::string::npos) << r.error().message;
  struct stat st {};
  EXPECT_EQ(stat((d + "/proc").c_str(), &st), 0);
  EXPECT_EQ(stat((d + "/dev").c_str(), &st), 0);
  EXPECT_NE(stat((d + "/tmp").c_str(), &st), 0);
  rmdir((d + "/proc").c_str());
  std::ofstream(d + "/proc") << "not a directory";
  r = run_sandbox(c);
  unlink((d + "/proc").c_str());
  rmdir((d + "/dev").c_str());
  rmdir(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("create the mount point /proc: Not a directory"), std::string::npos) << r.error().message;
}

std::string ns_of(const std::string& path) {
  char buf[64] = {};
  return readlink(path.c_str(), buf, sizeof buf - 1) > 0 ? buf : "";
}

// linux.namespaces[].path: the sandbox joins a network and a UTS namespace made here (and keeps
// its hostname); the caller's thread is back in its own afterwards.
TEST(SandboxRun, JoinsNetworkAndUtsNamespacesByPath) {
  EW_SKIP_WITHOUT_SANDBOX();
  if (geteuid() != 0) GTEST_SKIP() << "joining another namespace needs root";
  // The holder is not this process's child: the supervisor waits for every child it has.
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t middle = fork();
  if (middle == 0) {
    if (fork() != 0) _exit(0);
    if (unshare(CLONE_NEWNET | CLONE_NEWUTS) != 0 || sethostname("joined-uts", 10) != 0) _exit(1);
    const pid_t self = getpid();
    if (write(ready[1], &self, sizeof self) != sizeof self) _exit(1);
    pause();
    _exit(0);
  }
  waitpid(middle, nullptr, 0);
  pid_t holder = 0;
  ASSERT_EQ(read(ready[0], &holder, sizeof holder), static_cast<ssize_t>(sizeof holder));
  close(ready[0]);
  close(ready[1]);
  const std::string proc = "/proc/" + std::to_string(holder) + "/ns/";
  const std::string target = ns_of(proc + "net"), own = ns_of("/proc/thread-self/ns/net");
  SandboxConfig c;
  c.rootfs = rootfs();
  c.policy = test_policy();
  c.argv = sh("[ \"$(hostname)\" = joined-uts ] && exit 7; exit 3");
  c.join_namespaces = {{"network", proc + "net"}, {"uts", proc + "uts"}};
  std::string seen;
  c.on_spawned = [&](pid_t p) { seen = ns_of("/proc/" + std::to_string(p) + "/ns/net"); };
  auto r = run_sandbox(c);
  kill(holder, SIGKILL);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7) << "the hostname of the joined UTS namespace was not kept";
  EXPECT_EQ(seen, target);
  EXPECT_NE(target, own);
  EXPECT_EQ(ns_of("/proc/thread-self/ns/net"), own);
}

TEST(SandboxRun, ReportsAProgramThatCannotBeExecuted) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto r = run({"/no/such/program"}, test_policy());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("execve /no/such/program"), std::string::npos) << r.error().message;
}

TEST(SandboxRun, PassesExitCodesAndSignals) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto r = run(sh("exit 7"), test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 7);
  r = run(sh("/bin/sleep 5 & kill -9 $!; wait $!; exit $?"), test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 128 + SIGKILL);
  // The workload is not the namespace's init (that is edgeward's, init.h): a signal it sends
  // itself acts as anywhere else.
  r = run({"/bin/sh", "-c", "kill -SEGV $$; sleep 1"}, test_policy());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exited);
  EXPECT_EQ(r->signal, SIGSEGV);
}

TEST(SandboxRun, SleepStoppedAndContinuedResumes) {
  // A stop (or a signal the sleeper ignores) interrupts nanosleep; the kernel resumes it with
  // restart_syscall, which the built-in profile must allow (it once killed the task: SIGSYS).
  EW_SKIP_WITHOUT_SANDBOX();
  auto r = run(sh("/bin/sleep 1 & p=$!; /bin/sleep 0.2; kill -STOP $p; kill -CONT $p; wait $p; exit $?"),
               test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->exited) << "killed by signal " << r->signal;
  EXPECT_EQ(r->exit_code, 0);
}

TEST(SandboxRun, ReportsDeniedCalls) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto r = run({"/bin/cat", "/etc/secret"}, test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->exit_code, 0);
  ASSERT_EQ(r->denials_total, 1u);
  EXPECT_EQ(r->denials[0].syscall, "openat");
  EXPECT_EQ(r->denials[0].detail, "/etc/secret");
  EXPECT_EQ(r->denials[0].outcome, "EACCES");
}

TEST(SandboxRun, ShellPipelines) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto r = run(sh("set -e; test \"$(cat /data/tree/d*/e*/f* | sort -u | wc -l)\" = 64; "
                  "find /data/tree -type f | xargs cat | grep -c '^3 ' | grep -qx 8; "
                  "echo hello > /tmp/x && tr a-z A-Z < /tmp/x | grep -qx HELLO; "
                  "mkdir -p /tmp/d/e && mv /tmp/x /tmp/d/e/y && ls /tmp/d/e | grep -qx y; "
                  "tar -cf /tmp/t.tar -C /data tree && tar -tf /tmp/t.tar | wc -l | grep -qx 81; "
                  "gzip -c /tmp/t.tar | gunzip | cmp - /tmp/t.tar"),
               test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->denials_total, 0u);
  EXPECT_GT(r->traced_calls, 100u) << "path calls go through the supervisor";
  EXPECT_TRUE(r->cgroup_mode != "none" || !r->cgroup_note.empty()) << "no cgroup must come with a reason";
}

TEST(SandboxRun, DynamicallyLinkedProgram) {
  EW_SKIP_WITHOUT_SANDBOX();
  struct stat st {};
  if (stat((rootfs() + "/usr/bin/dynamic-echo").c_str(), &st) != 0) {
    GTEST_SKIP() << "the test rootfs has no dynamically linked program (host echo is static or ldd missing)";
  }
  auto r = run(sh("test \"$(/usr/bin/dynamic-echo dynamic ok)\" = 'dynamic ok'"), test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->denials_total, 0u);
}

TEST(SandboxRun, MultiThreadedProgram) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto r = run({"/programs/threads"}, test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_GE(r->traced_calls, 8u * static_cast<unsigned>(stress_iterations(200)));  // 8 threads' opens
}

TEST(SandboxRun, ForkHeavyScript) {
  EW_SKIP_WITHOUT_SANDBOX();
  // 300 forks and execs (stress.h may scale that down), then a few at once.
  const int n = stress_iterations(300);
  auto r = run(sh("i=0; while [ $i -lt " + std::to_string(n) + " ]; do /bin/true; echo $i > /tmp/n; i=$((i+1)); done; "
                  "test \"$(cat /tmp/n)\" = " + std::to_string(n - 1) +
                  " && (for j in 1 2 3 4; do (/bin/true | /bin/cat) & done; wait)"),
               test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->exited);
  EXPECT_EQ(r->exit_code, 0);
}

TEST(SandboxRun, CleanEnvironmentAndDescriptors) {
  EW_SKIP_WITHOUT_SANDBOX();
  setenv("EDGEWARD_TEST_LEAK", "leaked", 1);
  const int leak = open("/dev/null", O_RDONLY);  // no O_CLOEXEC: must still not arrive
  ASSERT_GE(dup2(leak, 17), 0);
  auto r = run(sh("test -z \"$EDGEWARD_TEST_LEAK\" && test \"$HOME\" = / && "
                  "! ls /proc/self/fd | grep -qx 17 && test \"$(hostname)\" = sandbox"),
               test_policy());
  close(17);
  close(leak);
  unsetenv("EDGEWARD_TEST_LEAK");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
}

TEST(SandboxRun, NoCapabilitiesAndNoNewPrivs) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto r = run(sh("grep -q 'CapEff:.0000000000000000' /proc/self/status && "
                  "grep -q 'CapBnd:.0000000000000000' /proc/self/status && "
                  "grep -q 'NoNewPrivs:.1' /proc/self/status && grep -q 'Seccomp:.2' /proc/self/status"),
               test_policy());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
}

// process.noNewPrivileges false (OCI's default, as runc): no_new_privs stays clear, the filter is
// loaded all the same (with CAP_SYS_ADMIN of the user namespace), and the workload holds no
// capability after its execve; with process.capabilities, exactly those.
TEST(SandboxRun, WithoutNoNewPrivsTheFilterIsLoadedAndNoCapabilityKept) {
  EW_SKIP_WITHOUT_SANDBOX();
  SandboxConfig c;
  c.rootfs = rootfs();
  c.policy = test_policy();
  c.process.no_new_privs = false;
  c.argv = {"/bin/sh", "-c",
            "grep -q 'NoNewPrivs:.0' /proc/self/status || exit 2; grep -q 'Seccomp:.2' /proc/self/status || exit 3;"
            "grep -q 'CapEff:.0000000000000000' /proc/self/status || exit 4;"
            "grep -q 'CapPrm:.0000000000000000' /proc/self/status || exit 5;"
            "grep -q 'CapBnd:.0000000000000000' /proc/self/status || exit 6; exit 0"};
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0);

  c.process.capabilities.bounding = c.process.capabilities.effective = c.process.capabilities.permitted = 1ull << 0;  // CHOWN
  c.argv = {"/bin/sh", "-c",
            "grep -q 'NoNewPrivs:.0' /proc/self/status || exit 2; grep -q 'Seccomp:.2' /proc/self/status || exit 3;"
            "grep -q 'CapEff:.0000000000000001' /proc/self/status || exit 4;"
            "grep -q 'CapPrm:.0000000000000001' /proc/self/status || exit 5; exit 0"};
  r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0);
}

TEST(SandboxRun, MemoryLimitHolds) {
  EW_SKIP_WITHOUT_SANDBOX();
  // ~200 MB through the shell's memory under a 32 MiB limit: killed (cgroup) or failing (rlimit).
  auto r = run(sh("x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}"), test_policy(), 32ull << 20);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->exited && r->exit_code == 0) << "allocated past the limit (cgroup " << r->cgroup_mode << ")";
  if (r->cgroup_mode != "none") EXPECT_TRUE(r->oom_killed || !r->exited);
}

TEST(SandboxRun, PidsLimitHolds) {
  EW_SKIP_WITHOUT_SANDBOX();
  // 30 background sleeps: fine under the default 64 tasks, "can't fork" (exit 2) under 10.
  const auto script = sh("for i in $(seq 30); do /bin/sleep 1 & done; exit 0");
  auto wide = run(script, test_policy(), 256ull << 20, 64);
  ASSERT_TRUE(wide.ok()) << wide.error().message;
  if (wide->cgroup_mode == "none") GTEST_SKIP() << "no cgroup pids controller here: " << wide->cgroup_note;
  EXPECT_EQ(wide->exit_code, 0);
  auto narrow = run(script, test_policy(), 256ull << 20, 10);
  ASSERT_TRUE(narrow.ok()) << narrow.error().message;
  EXPECT_NE(narrow->exit_code, 0) << "more than 10 tasks ran";
}

// pids_count_init (OCI: pids.max = the limit): the init is one of the tasks. 3 tasks are the init,
// the shell and one child at a time; a second child at once cannot be forked. A limit below 2
// leaves no task for the workload and is refused before anything runs.
TEST(SandboxRun, PidsLimitCountingTheInit) {
  EW_SKIP_WITHOUT_SANDBOX();
  SandboxConfig c;
  c.rootfs = rootfs();
  c.policy = test_policy();
  c.pids_count_init = true;
  c.pids = 1;
  c.argv = {"/bin/true"};
  auto refused = run_sandbox(c);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("leaves no task for the workload"), std::string::npos) << refused.error().message;
  c.pids = 3;
  c.argv = {"/bin/sh", "-c", "/bin/true || exit 2; /bin/sleep 2 & /bin/sleep 2 & wait; exit 0"};
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  if (r->cgroup_mode == "none") GTEST_SKIP() << "no cgroup pids controller here: " << r->cgroup_note;
  EXPECT_NE(r->shell_status(), 0) << "two children at once under pids.max 3 with the init counted";
  c.argv = {"/bin/sh", "-c", "/bin/true"};
  r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0) << "one child at a time fits";
}

// The child (the workload) of `parent`, found through /proc; 0 when there is none yet.
pid_t child_of(pid_t parent) {
  for (int i = 0; i < 100; ++i) {
    std::ifstream f("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) + "/children");
    pid_t child = 0;
    if (f >> child && child > 0) return child;
    usleep(20000);
  }
  return 0;
}

bool gone_or_zombie(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_s, comm, state;
  return !(f >> pid_s >> comm >> state) || state == "Z" || state == "X";
}

TEST(SandboxRun, WorkloadDiesWithTheSupervisor) {
  EW_SKIP_WITHOUT_SANDBOX();
  const pid_t supervisor = fork();
  if (supervisor == 0) {
    auto r = run({"/bin/sleep", "30"}, test_policy());
    _exit(r.ok() ? 0 : 1);
  }
  const pid_t workload = child_of(supervisor);
  ASSERT_GT(workload, 0) << "the sandbox did not start";
  usleep(100000);  // let it reach the sleep
  ASSERT_FALSE(gone_or_zombie(workload));
  kill(supervisor, SIGKILL);
  waitpid(supervisor, nullptr, 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = gone_or_zombie(workload);
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone) << "PTRACE_O_EXITKILL: the workload must not outlive its supervisor";
  if (!gone) kill(workload, SIGKILL);
}

}  // namespace
}  // namespace edgeward::sandbox
