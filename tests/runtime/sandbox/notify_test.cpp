// The two ways the supervisor inspects calls, run side by side on the same scripts: seccomp
// user notification (open and stat families answered by the supervisor, which opens the
// checked object itself and installs the descriptor) and the ptrace-only fallback. Both must
// give the workload the kernel's own semantics and the same decisions. Error cases first.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "runtime/sandbox/filter.h"
#include "runtime/sandbox/supervisor/notifier.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {

using testing::rootfs;
using testing::test_policy;

Result<RunResult> run_mode(const std::string& script, bool notify) {
  SandboxConfig c;
  c.rootfs = rootfs();
  c.policy = test_policy();
  c.user_notify = notify;
  c.argv = {"/bin/sh", "-c", script};
  return run_sandbox(c);
}

bool has_denial(const RunResult& r, const std::string& detail, const std::string& outcome) {
  for (const auto& d : r.denials) {
    if (d.detail == detail && d.outcome == outcome) return true;
  }
  return false;
}

// The runtime fallback: when the jail had to load the ptrace-only filter (the kernel refused
// the notifying one), the root has no listener and the supervisor goes on with ptrace alone.
TEST(Notify, NoListenerMeansPtraceOnly) {
  const pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  auto fds = Notifier::take_listener(child);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_FALSE(fds.ok());
  EXPECT_EQ(fds.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(fds.error().message.find("ptrace only"), std::string::npos) << fds.error().message;
}

TEST(Notify, NoSuchTask) {
  auto fds = Notifier::take_listener(0x3ffffff);
  ASSERT_FALSE(fds.ok());
  EXPECT_EQ(fds.error().code, ErrorCode::kUnsupported);
}

class Inspection : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    EW_SKIP_WITHOUT_SANDBOX();
    if (GetParam() && !user_notify_supported()) {
      GTEST_SKIP() << "this kernel or libseccomp offers no seccomp user notification with SECCOMP_ADDFD_FLAG_SEND (Linux >= 5.14)";
    }
  }
};

TEST_P(Inspection, DeniedOpenIsRefusedAndReported) {
  auto r = run_mode("cat /etc/secret", GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->exit_code, 0);
  EXPECT_TRUE(has_denial(*r, "/etc/secret", "EACCES"));
}

TEST_P(Inspection, DeniedStatIsRefusedAndReported) {
  auto r = run_mode("stat /etc/secret >/dev/null 2>&1 && exit 3; test -e /etc/secret && exit 4; exit 0", GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_TRUE(has_denial(*r, "/etc/secret", "EACCES"));
}

TEST_P(Inspection, DeniedThroughASymlinkIsReportedUnderItsTarget) {
  auto r = run_mode("cat /data/secret-link && exit 3; ln -s /etc /tmp/e && cat /tmp/e/secret && exit 4; exit 0", GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_TRUE(has_denial(*r, "/etc/secret", "EACCES"));
}

TEST_P(Inspection, WritesOutsideWritablePathsAreReadOnly) {
  auto r = run_mode("echo x > /data/new && exit 3; echo x >> /data/hello.txt && exit 4; exit 0", GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_TRUE(has_denial(*r, "/data/new", "EROFS"));
  EXPECT_TRUE(has_denial(*r, "/data/hello.txt", "EROFS"));
}

TEST_P(Inspection, MissingFilesFailWithoutDenials) {
  auto r = run_mode("cat /nope 2>/dev/null && exit 3; test -e /data/nope && exit 4; cd /data && cat nope 2>/dev/null && exit 5;"
                    "cat /data/hello.txt/ 2>/dev/null && exit 6; exit 0",
                    GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->denials_total, 0u);
}

TEST_P(Inspection, OrdinaryFileSemantics) {
  auto r = run_mode(
      "set -e; cd /data/tree; test \"$(cat d1/e1/f2)\" = '1 2'; cd d2; test \"$(cat ../d3/e3/f3)\" = '3 3';"
      "umask 077; echo a > /tmp/u; test \"$(stat -c %a:%u:%g /tmp/u)\" = 600:0:0; umask 022;"
      "echo b >> /tmp/u; test \"$(cat /tmp/u | wc -l)\" = 2; mkdir -p /tmp/p/q/r; test -d /tmp/p/q/r;"
      "ln -s /data /tmp/l; test \"$(cat /tmp/l/hello.txt)\" = 'hello from the rootfs'; test \"$(readlink /tmp/l)\" = /data;"
      "test \"$(readlink /proc/self/exe)\" = /bin/busybox; ! readlink /data/hello.txt; ! readlink /nope;"
      "set -C; ! (echo c > /tmp/u) 2>/dev/null; set +C;"
      "mkfifo /tmp/f; (echo through-fifo > /tmp/f) & test \"$(cat /tmp/f)\" = through-fifo; wait;"
      "cat < /tmp/f > /tmp/got & sleep 0.1; echo second > /tmp/f; wait; test \"$(cat /tmp/got)\" = second;"
      "test \"$(stat -c %s /data/hello.txt)\" = 22; ls -l /bin/sh | grep -q -- '-> busybox';"
      "test \"$(cat /proc/self/status | grep -c ^Pid)\" = 1;"
      "mkdir /tmp/m; ! mkdir /tmp/m 2>/dev/null; mkdir /tmp/m/n/ && mv /tmp/m /tmp/m2 && test -d /tmp/m2/n;"
      "! rmdir /tmp/m2 2>/dev/null; rmdir /tmp/m2/n/ && rmdir /tmp/m2 && ! test -e /tmp/m2;"
      "cd /tmp && touch a && mv a b && test -e b && ! test -e a && rm b && ! test -e b && ! rm b 2>/dev/null;"
      "mkdir -p /data/tree && ! mkdir /data/new 2>/dev/null && ! rm /data/hello.txt 2>/dev/null;"
      "! mv /data/hello.txt /tmp/h 2>/dev/null; echo x > /tmp/s; ! mv /tmp/s /data/s 2>/dev/null; test -e /tmp/s",
      GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  // The refused changes under /data, and nothing else.
  for (const auto& d : r->denials) EXPECT_EQ(d.outcome, "EROFS") << d.syscall << " " << d.detail;
  EXPECT_TRUE(has_denial(*r, "/data/new", "EROFS"));
  EXPECT_TRUE(has_denial(*r, "/data/hello.txt", "EROFS"));
  EXPECT_TRUE(has_denial(*r, "/data/s", "EROFS"));
}

// Calls that change an existing file or add a name to one (done by the supervisor on the
// checked object in the notification mode): the workload sees the kernel's results.
TEST_P(Inspection, AttributeAndLinkSemantics) {
  auto r = run_mode(
      "set -e; cd /tmp; echo hello > f; chmod 640 f; test \"$(stat -c %a f)\" = 640;"
      "chmod 600 /tmp/../tmp/f; test \"$(stat -c %a f)\" = 600;"
      "chown 0:0 f; ! chown 1 f 2>/dev/null; test \"$(stat -c %u:%g f)\" = 0:0;"
      "truncate -s 2 f; test \"$(stat -c %s f)\" = 2; ! truncate -s 1 /tmp 2>/dev/null;"
      "touch -d '2001-02-03 04:05:06' f; test \"$(stat -c %Y f)\" = 981173106; touch f; test \"$(stat -c %Y f)\" != 981173106;"
      "ln f hard; test \"$(stat -c %h f)\" = 2; test \"$(stat -c %i f)\" = \"$(stat -c %i hard)\"; ! ln f hard 2>/dev/null;"
      "ln -s f soft; test \"$(readlink soft)\" = f; test \"$(cat soft)\" = he; ! ln -s f soft 2>/dev/null;"
      "chmod 604 soft; test \"$(stat -c %a f)\" = 604;"
      "mkfifo p; test -p p; mknod q p; test -p q; ! mknod d c 1 3 2>/dev/null; ! test -e d;"
      "test \"$(stat -f -c %T /tmp)\" = tmpfs;"
      "! chmod 777 /data/hello.txt 2>/dev/null; ! touch /data/hello.txt 2>/dev/null; ! ln /data/hello.txt /tmp/x 2>/dev/null;"
      "! ln -s /tmp /data/l 2>/dev/null; ! truncate -s 0 /data/hello.txt 2>/dev/null; test \"$(cat /data/hello.txt)\" = 'hello from the rootfs'",
      GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_TRUE(has_denial(*r, "/data/hello.txt", "EROFS"));
  EXPECT_TRUE(has_denial(*r, "/data/l", "EROFS"));
  EXPECT_TRUE(has_denial(*r, "device node", "EPERM"));
}

// Programs that check, from the inside, what the supervisor did for them (exit 0 = all held):
// descriptor flags of opened files, unix sockets through the address checks, calls done
// exactly once under a flood of signals, CPU masks unchanged by the opens, utimes answered.
TEST_P(Inspection, ProgramsSeeTheKernelsSemantics) {
  for (const char* program : {"/programs/fdflags", "/programs/unixsock", "/programs/signals", "/programs/affinity",
                              "/programs/utimes"}) {
    SandboxConfig c;
    c.rootfs = rootfs();
    c.policy = test_policy();
    c.user_notify = GetParam();
    c.argv = {program};
    c.env = testing::stress_env();
    auto r = run_sandbox(c);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->exit_code, 0) << program;
    // glibc tries clone3 for threads first; the policy refuses it (ENOSYS) and glibc falls back.
    // utimes: its refusal of a read-only file is one.
    for (const auto& d : r->denials) {
      EXPECT_TRUE(d.syscall == "clone3" || (std::string(program) == "/programs/utimes" && d.syscall == "utimes"))
          << program << ": " << d.syscall << " " << d.detail;
    }
  }
}

TEST_P(Inspection, ReportsWhichPathWasUsed) {
  auto r = run_mode("cat /data/hello.txt >/dev/null; stat /bin/sh >/dev/null", GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->user_notify, GetParam());
  if (GetParam()) {
    EXPECT_GT(r->notified_calls, 0u) << "open/stat must be answered through notifications";
    EXPECT_LE(r->notified_calls, r->traced_calls);
  } else {
    EXPECT_EQ(r->notified_calls, 0u);
    EXPECT_GT(r->traced_calls, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, Inspection, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "UserNotify" : "PtraceOnly"; });

}  // namespace
}  // namespace edgeward::sandbox
