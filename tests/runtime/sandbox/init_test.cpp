// pid 1 of the sandbox (runtime/sandbox/init.h): a workload that crashes ends at once with its
// signal, as the workload itself and as a child, in both inspection modes, without the supervisor
// spending CPU; orphans are reaped; the init forwards signals, holds no descriptor and is
// confined; and a fault at a namespace init that is not ours still ends the run.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "runtime/sandbox/init.h"
#include "runtime/sandbox/supervisor/supervisor.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {

using testing::rootfs;
using testing::test_policy;
using Clock = std::chrono::steady_clock;

// Kills `pid` (the sandbox's init, so the whole sandbox) if the run has not ended within
// `limit`: a regression fails the test in seconds instead of hanging it.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::seconds limit) : limit_(limit) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void watch(pid_t pid) {
    thread_ = std::thread([this, pid] {
      std::unique_lock lock(mutex_);
      if (!cv_.wait_for(lock, limit_, [this] { return done_; })) {
        fired_ = true;
        kill(pid, SIGKILL);
      }
    });
  }
  bool fired() const { return fired_; }

 private:
  std::chrono::seconds limit_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);  // this process is the supervisor (ptrace loop + notification thread)
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Timed {
  Result<RunResult> result;
  double wall = 0;
  double supervisor_cpu = 0;
  bool watchdog_fired = false;
};

Timed run_watched(std::vector<std::string> argv, bool ptrace_only = false,
                  std::function<void(pid_t)> on_spawned = nullptr) {
  Watchdog dog(std::chrono::seconds(15));
  SandboxConfig c;
  c.rootfs = rootfs();
  c.policy = test_policy();
  c.argv = std::move(argv);
  c.user_notify = !ptrace_only;
  c.on_spawned = [&](pid_t p) {
    dog.watch(p);
    if (on_spawned) on_spawned(p);
  };
  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  Timed t{run_sandbox(c)};
  t.wall = std::chrono::duration<double>(Clock::now() - t0).count();
  t.supervisor_cpu = cpu_seconds() - cpu0;
  t.watchdog_fired = dog.fired();
  return t;
}

struct Crash {
  const char* how;
  std::set<int> signals;  // any of these
};

std::vector<Crash> crashes() {
  std::vector<Crash> all = {
      {"null", {SIGSEGV}}, {"ud2", {SIGILL}}, {"abort", {SIGABRT}}, {"stack", {SIGSEGV}}, {"sigbus", {SIGBUS}},
  };
#if defined(__x86_64__)
  all.push_back({"int80", {SIGSYS, SIGSEGV}});  // SIGSYS where IA32 emulation is on, else a #GP
  all.push_back({"div0", {SIGFPE}});            // arm64 divides by zero without a trap
#endif
  return all;
}

struct CrashCase {
  Crash crash;
  bool as_child;     // under `sh -c` (a grandchild of the init) instead of as the workload itself
  bool ptrace_only;  // inspection mode
};

void PrintTo(const CrashCase& c, std::ostream* os) {
  *os << c.crash.how << (c.as_child ? " as a child" : " as the workload") << (c.ptrace_only ? ", ptrace only" : "");
}

std::vector<CrashCase> crash_cases() {
  std::vector<CrashCase> all;
  for (const auto& c : crashes()) {
    for (bool child : {false, true}) {
      for (bool ptrace_only : {false, true}) all.push_back({c, child, ptrace_only});
    }
  }
  return all;
}

class CrashingWorkload : public ::testing::TestWithParam<CrashCase> {};

TEST_P(CrashingWorkload, EndsAtOnceWithItsSignal) {
  EW_SKIP_WITHOUT_SANDBOX();
  const CrashCase& c = GetParam();
  const std::string program = std::string("/programs/crash ") + c.crash.how;
  std::vector<std::string> argv = c.as_child ? std::vector<std::string>{"/bin/sh", "-c", program + "; exit $?"}
                                             : std::vector<std::string>{"/programs/crash", c.crash.how};
  const Timed t = run_watched(argv, c.ptrace_only);
  ASSERT_TRUE(t.result.ok()) << t.result.error().message;
  const RunResult& r = *t.result;
  ASSERT_FALSE(t.watchdog_fired) << program << " never ended: killed after 15 s";
  EXPECT_LT(t.wall, 5.0) << program;
  EXPECT_LT(t.supervisor_cpu, 1.0) << "the supervisor spun while " << program << " crashed";
  int sig = 0;
  if (c.as_child) {  // the shell reports its child's death as 128 + N
    EXPECT_TRUE(r.exited) << "the shell itself was killed by " << r.signal;
    sig = r.exit_code - 128;
  } else {
    EXPECT_FALSE(r.exited) << program << " exited with " << r.exit_code;
    sig = r.signal;
  }
  EXPECT_TRUE(c.crash.signals.count(sig)) << program << " ended by signal " << sig;
  EXPECT_EQ(r.shell_status(), c.as_child ? r.exit_code : 128 + r.signal);
}

INSTANTIATE_TEST_SUITE_P(Programs, CrashingWorkload, ::testing::ValuesIn(crash_cases()),
                         [](const ::testing::TestParamInfo<CrashCase>& i) {
                           return std::string(i.param.crash.how) + (i.param.as_child ? "_as_child" : "_as_workload") +
                                  (i.param.ptrace_only ? "_ptrace" : "_notify");
                         });

class SandboxInit : public ::testing::TestWithParam<bool> {};  // ptrace only?

TEST_P(SandboxInit, ReapsOrphans) {
  EW_SKIP_WITHOUT_SANDBOX();
  const Timed t = run_watched({"/programs/orphans"}, GetParam());
  ASSERT_TRUE(t.result.ok()) << t.result.error().message;
  EXPECT_TRUE(t.result->exited) << "killed by " << t.result->signal;
  EXPECT_EQ(t.result->exit_code, 0) << "1: orphans not re-parented to pid 1; 10 + N: N zombies left";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The pid of the init's child (the workload) once it exists.
pid_t child_of(pid_t init) {
  for (int i = 0; i < 500; ++i) {
    std::istringstream kids(slurp("/proc/" + std::to_string(init) + "/task/" + std::to_string(init) + "/children"));
    pid_t kid = 0;
    if (kids >> kid) return kid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

bool catches(pid_t pid, int sig) {
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("SigCgt:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1;
  }
  return false;
}

TEST_P(SandboxInit, ForwardsSignalsHoldsNothingAndIsConfined) {
  EW_SKIP_WITHOUT_SANDBOX();
  struct Seen {
    std::string cmdline, status;
    size_t fds = 99;
    bool trapped = false;
  } seen;
  std::thread observer;
  const Timed t = run_watched(
      {"/bin/sh", "-c", "trap 'exit 42' TERM; test $$ = 2 || exit 3; while :; do sleep 0.05; done"}, GetParam(),
      [&](pid_t init) {
        // From the host, while the workload runs: then SIGTERM to the init, as `kill` / `stop` do.
        observer = std::thread([&seen, init] {
          const pid_t shell = child_of(init);
          for (int i = 0; i < 500 && shell && !seen.trapped; ++i) {
            seen.trapped = catches(shell, SIGTERM);
            if (!seen.trapped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
          const std::string proc = "/proc/" + std::to_string(init);
          seen.cmdline = slurp(proc + "/cmdline");
          seen.status = slurp(proc + "/status");
          std::error_code ec;
          seen.fds = static_cast<size_t>(std::distance(std::filesystem::directory_iterator(proc + "/fd", ec),
                                                       std::filesystem::directory_iterator{}));
          kill(init, SIGTERM);
        });
      });
  if (observer.joinable()) observer.join();
  ASSERT_TRUE(t.result.ok()) << t.result.error().message;
  EXPECT_TRUE(seen.trapped) << "the shell never set its trap";
  EXPECT_TRUE(t.result->exited) << "killed by " << t.result->signal;
  EXPECT_EQ(t.result->exit_code, 42) << "SIGTERM to pid 1 did not reach the workload's trap";
  EXPECT_EQ(seen.cmdline, std::string(kInitName) + '\0' + "2" + '\0') << "pid 1 is not the re-executed init";
  EXPECT_EQ(seen.fds, 0u) << "the init holds descriptors";
  EXPECT_NE(seen.status.find("Seccomp:\t2"), std::string::npos) << "the init runs without its filter";
  EXPECT_NE(seen.status.find("NoNewPrivs:\t1"), std::string::npos);
  EXPECT_NE(seen.status.find("CapEff:\t0000000000000000"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Modes, SandboxInit, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "ptrace" : "notify"; });

TEST(SandboxInitInvocation, OnlyAsPidOneWithTheInitName) {
  char name[] = "edgeward-init", pid[] = "2", other[] = "edgeward";
  char* as_init[] = {name, pid, nullptr};
  char* as_cli[] = {other, pid, nullptr};
  EXPECT_FALSE(is_init_invocation(2, as_init)) << "this test is not pid 1";
  EXPECT_FALSE(is_init_invocation(2, as_cli));
  EXPECT_FALSE(is_init_invocation(1, as_init));
  // The init of a process entered into a running sandbox (exec) is not pid 1 and says so.
  char entered[] = "--entered", bogus[] = "--other";
  char* as_entered[] = {name, pid, entered, nullptr};
  char* as_bogus[] = {name, pid, bogus, nullptr};
  char* cli_entered[] = {other, pid, entered, nullptr};
  EXPECT_TRUE(is_init_invocation(3, as_entered));
  EXPECT_FALSE(is_init_invocation(3, as_bogus));
  EXPECT_FALSE(is_init_invocation(3, cli_entered));
  // Nor is the init of a sandbox that joined a pid namespace (namespaces.h).
  char joined[] = "--joined-pid";
  char* as_joined[] = {name, pid, joined, nullptr};
  char* cli_joined[] = {other, pid, joined, nullptr};
  EXPECT_TRUE(is_init_invocation(3, as_joined));
  EXPECT_FALSE(is_init_invocation(3, cli_joined));
}

// Belt and braces in the supervisor: a namespace init that faults (here: not edgeward's init, a
// bare pid-namespace root under the supervisor) is killed and the fault reported, where the
// kernel alone would drop the signal and re-run the instruction forever.
// A real fault: uninstrumented, and with SIGSEGV's default action, so that under the asan preset
// neither UBSan's null check nor ASan's SEGV handler turns it into an exit.
__attribute__((no_sanitize("undefined", "address"))) [[noreturn]] void fault_now() {
  signal(SIGSEGV, SIG_DFL);
  volatile int* volatile null_pointer = nullptr;  // volatile twice: neither the load nor the store is dead
  *null_pointer = 1;
  _exit(0);
}

TEST(SandboxInit, AFaultAtANamespaceInitEndsTheRun) {
  EW_SKIP_WITHOUT_SANDBOX();
  int go[2];
  ASSERT_EQ(pipe2(go, O_CLOEXEC), 0);
  const long pid = syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid == 0) {
    char b;
    if (read(go[0], &b, 1) != 1) _exit(1);
    fault_now();
  }
  ASSERT_GT(pid, 0);
  close(go[0]);
  const pid_t root = static_cast<pid_t>(pid);
  ASSERT_TRUE(seize(root).ok());
  Watchdog dog(std::chrono::seconds(15));
  dog.watch(root);
  ASSERT_EQ(write(go[1], "g", 1), 1);
  close(go[1]);
  const Policy policy = test_policy();
  RunResult r;
  const auto t0 = Clock::now();
  Supervisor(policy, root, false).run(r);
  EXPECT_FALSE(dog.fired()) << "the faulting init was never ended";
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 5.0);
  EXPECT_FALSE(r.exited) << "exited with " << r.exit_code;
  EXPECT_EQ(r.signal, SIGSEGV);
}

}  // namespace
}  // namespace edgeward::sandbox
