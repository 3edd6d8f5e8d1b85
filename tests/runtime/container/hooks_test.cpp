// Running OCI hooks (runtime/container/hooks.h) with real programs: a script that records what it
// got (stdin, argv, env, cwd); failures, a missing program, timeouts (the process group is
// killed); order and stop-at-first-failure vs. warnings; another process's namespaces.
// Error cases first.
#include "runtime/container/hooks.h"

#include "runtime/container/entry.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

namespace edgeward::runtime {
namespace {

std::string slurp(const std::string& path) {
  auto text = read_text(path);
  return text ? *text : "";
}

class HooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/edgeward-hooks-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    tmp_ = dir;
  }
  void TearDown() override { std::system(("rm -rf " + tmp_).c_str()); }

  // An executable /bin/sh script in the temporary directory.
  std::string script(const std::string& name, const std::string& body) {
    const std::string path = tmp_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }
  std::string tmp_;
};

TEST_F(HooksTest, FailureReportsStatusAndOutput) {
  const Hook h{script("fail", "echo 'no network for you' >&2; exit 3"), {}, {}, 5};
  auto r = run_hook(h, "hooks.createRuntime[0]", "{}", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "hooks.createRuntime[0] (" + h.path + ") exited with status 3: no network for you");
}

TEST_F(HooksTest, DeathBySignalIsAFailure) {
  auto r = run_hook({script("segv", "kill -SEGV $$"), {}, {}, 5}, "hooks.poststart[0]", "{}", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("was killed by signal"), std::string::npos) << r.error().message;
}

TEST_F(HooksTest, AMissingProgramIsAFailureNamingIt) {
  auto r = run_hook({tmp_ + "/nope", {}, {}, 5}, "hooks.poststop[0]", "{}", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exited with status 127: edgeward: cannot run the hook: execute " + tmp_ + "/nope"),
            std::string::npos)
      << r.error().message;
}

TEST_F(HooksTest, TimeoutKillsTheHookAndItsProcessGroup) {
  const std::string pidfile = tmp_ + "/bg.pid";
  const Hook h{script("slow", "sleep 30 & echo $! > " + pidfile + "; sleep 30"), {}, {}, 1};
  const auto start = std::chrono::steady_clock::now();
  auto r = run_hook(h, "hooks.createContainer[0]", "{}", {});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("hooks.createContainer[0] (" + h.path + ") did not finish within 1 s"), std::string::npos)
      << r.error().message;
  EXPECT_LT(took, std::chrono::seconds(5));
  const pid_t bg = std::atoi(slurp(pidfile).c_str());
  ASSERT_GT(bg, 0);
  bool gone = false;  // killed with the group (a zombie until init reaps it counts as gone)
  for (int i = 0; i < 200 && !gone; ++i) {
    const std::string stat = slurp("/proc/" + std::to_string(bg) + "/stat");
    gone = stat.empty() || stat.find(") Z") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "the hook's background child " << bg << " survived the timeout";
}

TEST_F(HooksTest, AHookThatIgnoresStdinStillSucceeds) {
  const std::string big(256 * 1024, 'x');  // more than a socket buffer
  EXPECT_TRUE(run_hook({script("quick", "exit 0"), {}, {}, 5}, "hooks.poststart[0]", big, {}).ok());
}

TEST_F(HooksTest, PassesStateOnStdinArgvEnvAndTheBundleAsCwd) {
  const std::string out = tmp_ + "/out";
  const std::string rec = script("record", "cat > " + out + ".stdin; printf '%s\\n' \"$0\" \"$@\" > " + out +
                                               ".argv; env > " + out + ".env; pwd > " + out + ".cwd");
  const std::string bundle = tmp_ + "/bundle";
  ASSERT_EQ(mkdir(bundle.c_str(), 0755), 0);
  const std::string state = hook_state_json({"c1", "creating", 42, bundle, {{"a", "b"}}});
  auto r = run_hook({rec, {"my-hook", "one", "two words"}, {"FOO=bar", "EMPTY="}, 5}, "hooks.prestart[0]", state, {bundle, 0});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(slurp(out + ".stdin"), state);
  EXPECT_EQ(state, R"({"ociVersion":"1.0.2","id":"c1","status":"creating","pid":42,"bundle":")" + bundle +
                       R"(","annotations":{"a":"b"}})");
  EXPECT_EQ(slurp(out + ".argv"), rec + "\none\ntwo words\n");  // the shell's $0 is the script; argv[1..] as given
  const std::string env = slurp(out + ".env");
  EXPECT_NE(env.find("FOO=bar\n"), std::string::npos) << env;
  EXPECT_NE(env.find("EMPTY=\n"), std::string::npos) << env;
  EXPECT_EQ(env.find("HOME="), std::string::npos) << "the runtime's environment leaked: " << env;
  EXPECT_EQ(slurp(out + ".cwd"), bundle + "\n");
}

TEST_F(HooksTest, Argv0IsThePathWhenArgsAreEmpty) {
  const std::string out = tmp_ + "/argc";
  // /bin/sh as the hook itself: argv = {"/bin/sh"} reads its script from stdin.
  auto r = run_hook({"/bin/sh", {}, {}, 5}, "hooks.poststop[0]", "echo \"$0\" > " + out, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(slurp(out), "/bin/sh\n");
}

TEST_F(HooksTest, RunHooksStopsAtTheFirstFailureWarningsRunThemAll) {
  const std::string log = tmp_ + "/order";
  const std::vector<Hook> hooks = {{script("a", "echo a >> " + log), {}, {}, 5},
                                   {script("b", "echo b >> " + log + "; exit 1"), {}, {}, 5},
                                   {script("c", "echo c >> " + log), {}, {}, 5}};
  auto r = run_hooks(hooks, "hooks.createRuntime", "{}", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("hooks.createRuntime[1]"), std::string::npos) << r.error().message;
  EXPECT_EQ(slurp(log), "a\nb\n");
  unlink(log.c_str());
  const auto warnings = run_hooks_warning(hooks, "hooks.poststop", "{}", {});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("hooks.poststop[1]"), std::string::npos) << warnings[0];
  EXPECT_EQ(slurp(log), "a\nb\nc\n");
}

TEST_F(HooksTest, RunsInAnotherProcesssNamespaces) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (new UTS and mount namespaces)";
  {  // qemu-user (the aarch64 test run) cannot join a mount namespace (its process has threads):
     // probe it as the hook runner does it, in a forked child, with our own namespace
    const pid_t probe = fork();
    ASSERT_GE(probe, 0);
    if (probe == 0) {
      const int own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
      _exit(own >= 0 && setns(own, 0) == 0 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(probe, &status, 0), probe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      GTEST_SKIP() << "a mount namespace cannot be joined here (qemu-user runs the process with threads)";
    }
  }
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const bool ok = unshare(CLONE_NEWUTS | CLONE_NEWNS) == 0 && sethostname("hooked", 6) == 0;
    (void)!write(ready[1], ok ? "y" : "n", 1);
    pause();
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  close(ready[0]);
  close(ready[1]);
  const std::string out = tmp_ + "/ns";
  auto r = run_hook({script("ns", "cat /proc/sys/kernel/hostname > " + out + "; readlink /proc/self/ns/mnt >> " + out),
                     {}, {}, 5}, "hooks.createContainer[0]", "{}", {"", child});
  char link[64] = {};
  (void)!readlink(("/proc/" + std::to_string(child) + "/ns/mnt").c_str(), link, sizeof link - 1);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_EQ(c, 'y') << "could not make the namespaces";
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(slurp(out), std::string("hooked\n") + link + "\n");
}

TEST_F(HooksTest, NamespacesOfAMissingProcessAreAnError) {
  auto r = run_hook({"/bin/true", {}, {}, 5}, "hooks.createContainer[0]", "{}", {"", 999999999});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("open the container's namespace /proc/999999999/ns/"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace edgeward::runtime
