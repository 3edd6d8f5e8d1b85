// The container core end to end with the real sandbox: create / start / state / kill / remove,
// the monitor's exit status (this test is a child subreaper, so the detached monitor is reparented
// to it and its status can be reaped), and failed operations leaving the state unchanged.
// Error cases first. The monitor is this test binary re-executed (main() below answers the hidden
// command, as edgeward's CLI does).
#include "runtime/container/container.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "runtime/container/entry.h"
#include "runtime/container/process.h"
#include "runtime/sandbox/init.h"
#include "vmm-lite/kvm/kvm.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::runtime {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Exited (a zombie waiting for whoever reaps orphans counts as exited).
bool gone(pid_t pid) {
  const auto info = proc_info(pid);
  return !info || info->state == 'Z';
}

class ContainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/edgeward-containers-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    tmp_ = dir;
    auto r = ContainerRoot::open(tmp_ + "/root");
    ASSERT_TRUE(r.ok()) << r.error().message;
    root_.emplace(std::move(r).value());
  }
  void TearDown() override {
    if (root_) {
      if (auto all = root_->list()) {
        for (const auto& st : *all) (void)root_->remove(st.id, true);
      }
    }
    std::system(("rm -rf " + tmp_).c_str());
  }

  ContainerSpec spec(const std::string& id, const std::string& script) {
    ContainerSpec s;
    s.id = id;
    s.bundle = "/bundles/" + id;
    s.annotations = {{"org.example/owner", "test"}};
    s.workload.rootfs = sandbox::testing::rootfs();
    s.workload.argv = {"/bin/sh", "-c", script};
    s.stdio.log_file = log(id);
    return s;
  }
  std::string log(const std::string& id) const { return tmp_ + "/" + id + ".log"; }

  // Polls until the container is stopped (or 10 s pass).
  ContainerState wait_stopped(const std::string& id) {
    for (int i = 0; i < 1000; ++i) {
      auto st = root_->state(id);
      if (!st.ok() || st->status == Status::kStopped) return st.ok() ? *st : ContainerState{};
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << id << " did not stop";
    return {};
  }
  bool wait_for_log(const std::string& id, const std::string& text) {
    for (int i = 0; i < 1000; ++i) {
      if (slurp(log(id)).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::string tmp_;
  std::optional<ContainerRoot> root_;
};

TEST(ContainerRootOpen, RefusesARelativePath) {
  auto r = ContainerRoot::open("relative/root");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("absolute"), std::string::npos) << r.error().message;
}

TEST_F(ContainerTest, CreateRefusesBadInputAndLeavesNothing) {
  struct Case {
    const char* name;
    std::function<void(ContainerSpec&)> change;
    const char* error;
  } cases[] = {
      {"bad id", [](ContainerSpec& s) { s.id = "../escape"; }, "invalid container id"},
      {"empty id", [](ContainerSpec& s) { s.id = ""; }, "invalid container id"},
      {"relative rootfs", [](ContainerSpec& s) { s.workload.rootfs = "rootfs"; }, "rootfs must be an absolute path"},
      // Below the test's own directory: a fixed path such as /nonexistent may exist on a machine.
      {"missing rootfs", [](ContainerSpec& s) { s.workload.rootfs += "/missing"; }, "is not a directory"},
      {"no command", [](ContainerSpec& s) { s.workload.argv.clear(); }, "no command"},
      {"bad env", [](ContainerSpec& s) { s.workload.env = {"NOVALUE"}; }, "not KEY=VALUE"},
      {"vm without kernel", [](ContainerSpec& s) { s.workload.backend = Backend::kVm; }, "no kernel"},
  };
  for (const auto& c : cases) {
    ContainerSpec s = spec("bad", "true");
    s.workload.rootfs = tmp_;  // a directory on every build (the cross build has no test rootfs)
    c.change(s);
    auto r = root_->create(s);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
    auto all = root_->list();
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(all->empty()) << c.name << ": an entry was left behind";
  }
}

TEST_F(ContainerTest, OperationsOnAnUnknownIdSayItDoesNotExist) {
  EXPECT_NE(root_->state("ghost").error().message.find("does not exist"), std::string::npos);
  EXPECT_NE(root_->start("ghost").error().message.find("does not exist"), std::string::npos);
  EXPECT_NE(root_->kill("ghost", SIGTERM).error().message.find("does not exist"), std::string::npos);
  EXPECT_NE(root_->remove("ghost", true).error().message.find("does not exist"), std::string::npos);
}

TEST_F(ContainerTest, AWorkloadThatCannotBePreparedFailsCreateAndLeavesNothing) {
  EW_SKIP_WITHOUT_SANDBOX();
  const std::string bare = tmp_ + "/bare-rootfs";  // /proc is a file: no mount point can be made
  ASSERT_EQ(mkdir(bare.c_str(), 0755), 0);
  std::ofstream(bare + "/proc") << "a file";
  ContainerSpec s = spec("nomounts", "true");
  s.workload.rootfs = bare;
  auto r = root_->create(s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("create the mount point /proc"), std::string::npos) << r.error().message;
  EXPECT_TRUE(root_->list()->empty());
}

TEST_F(ContainerTest, AMissingPolicyFileFailsCreate) {
  EW_SKIP_WITHOUT_SANDBOX();
  ContainerSpec s = spec("nopolicy", "true");
  s.workload.policy_file = tmp_ + "/none.xml";
  auto r = root_->create(s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("none.xml"), std::string::npos) << r.error().message;
  EXPECT_TRUE(root_->list()->empty());
}

TEST_F(ContainerTest, DuplicateIdIsRefusedAndTheFirstIsUnchanged) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto first = root_->create(spec("dup", "echo first"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = root_->create(spec("dup", "echo second"));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("already in use"), std::string::npos) << second.error().message;
  auto st = root_->state("dup");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->status, Status::kCreated);
  EXPECT_EQ(st->pid, first->pid);
  ASSERT_TRUE(root_->start("dup").ok());
  EXPECT_EQ(wait_stopped("dup").exit_status, 0);
  EXPECT_EQ(slurp(log("dup")), "first\n");
}

// exec: a process entered into the running container (its mount namespace: the bind of a host
// directory; its uts namespace; its user), refused for containers that are not running or whose
// init is not the container's pid.
TEST_F(ContainerTest, ExecRunsAProcessInsideARunningContainer) {
  EW_SKIP_WITHOUT_SANDBOX();
  const std::string out = tmp_ + "/exec-out";
  ASSERT_EQ(mkdir(out.c_str(), 0777), 0);
  // A volume is not idmapped (sandbox/idmap_mount.h): as root, container root is "other" to it.
  ASSERT_EQ(chmod(out.c_str(), 0777), 0);
  ContainerSpec s = spec("execd", "sleep 30");
  s.workload.init_is_pid = true;
  s.workload.hostname = "execd-host";
  s.workload.mounts = {{"/tmp", "bind", out, {"rbind"}}};
  ExecSpec e;
  e.argv = {"/bin/sh", "-c", "echo \"in $(hostname) as $(id -u)\" > /tmp/ran"};
  auto created = root_->create(s);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto early = root_->exec("execd", e);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.error().message.find("it is created, not running"), std::string::npos) << early.error().message;
  ASSERT_TRUE(root_->start("execd").ok());
  auto pid = root_->exec("execd", e);
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  EXPECT_GT(*pid, 0);
  std::string ran;
  for (int i = 0; i < 500 && ran.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ran = slurp(out + "/ran");
  }
  EXPECT_EQ(ran, "in execd-host as 0\n");
  ASSERT_TRUE(root_->remove("execd", true).ok());
  EXPECT_FALSE(root_->exec("execd", e).ok());
  ASSERT_TRUE(root_->create(spec("plain", "sleep 30")).ok());  // init_is_pid false (the daemon's kind)
  ASSERT_TRUE(root_->start("plain").ok());
  auto plain = root_->exec("plain", e);
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message.find("exec is supported for sandbox containers made by the OCI runtime"), std::string::npos);
  ASSERT_TRUE(root_->remove("plain", true).ok());
}

TEST_F(ContainerTest, LifecycleCreateWaitsStartRunsStateRecordsTheExit) {
  EW_SKIP_WITHOUT_SANDBOX();
  ContainerSpec s = spec("life", "echo \"$GREETING from $(hostname) in $(pwd)\"; exit 7");
  s.workload.env = {"GREETING=hello"};
  s.workload.cwd = "/data";
  s.workload.hostname = "box";
  auto created = root_->create(s);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->status, Status::kCreated);
  EXPECT_GT(created->pid, 0);
  EXPECT_GT(created->workload_pid, 0);
  EXPECT_EQ(created->bundle, "/bundles/life");
  EXPECT_EQ(created->annotations.at("org.example/owner"), "test");

  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(slurp(log("life")), "") << "the workload ran before start";
  EXPECT_EQ(root_->state("life")->status, Status::kCreated);

  ASSERT_TRUE(root_->start("life").ok());
  const ContainerState done = wait_stopped("life");
  EXPECT_EQ(done.exit_status, 7);
  EXPECT_GT(done.started_unix, 0);
  EXPECT_GT(done.finished_unix, 0);
  EXPECT_EQ(slurp(log("life")), "hello from box in /data\n");
  // Recorded crash-safely: a complete file, no temp left.
  const std::string dir = root_->dir() + "/life";
  EXPECT_NE(slurp(dir + "/exit.json").find("\"status\": 7"), std::string::npos);
  struct stat st {};
  EXPECT_NE(stat((dir + "/exit.json.tmp").c_str(), &st), 0);
  EXPECT_NE(stat((dir + "/exec.fifo").c_str(), &st), 0);

  ASSERT_TRUE(root_->remove("life", false).ok());
  EXPECT_NE(stat(dir.c_str(), &st), 0);
}

TEST_F(ContainerTest, TheMonitorExitsWithTheWorkloadsStatus) {
  EW_SKIP_WITHOUT_SANDBOX();
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);  // the detached monitor becomes our child
  auto created = root_->create(spec("status", "exit 3"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(root_->start("status").ok());
  int status = 0;
  ASSERT_EQ(waitpid(created->pid, &status, 0), created->pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_EQ(root_->state("status")->exit_status, 3);
  prctl(PR_SET_CHILD_SUBREAPER, 0);
}

TEST_F(ContainerTest, KillForwardsTheSignalToTheWorkload) {
  EW_SKIP_WITHOUT_SANDBOX();
  for (auto [sig, expected] : {std::pair{SIGTERM, 42}, std::pair{SIGKILL, 128 + SIGKILL}}) {
    const std::string id = "kill" + std::to_string(sig);
    auto created = root_->create(spec(id, "trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done"));
    ASSERT_TRUE(created.ok()) << created.error().message;
    EXPECT_FALSE(root_->kill(id, 99999).ok());  // a bad signal changes nothing
    ASSERT_TRUE(root_->start(id).ok());
    ASSERT_TRUE(wait_for_log(id, "ready"));
    EXPECT_EQ(root_->state(id)->status, Status::kRunning);
    ASSERT_TRUE(root_->kill(id, sig).ok());
    EXPECT_EQ(wait_stopped(id).exit_status, expected) << "signal " << sig;
    auto again = root_->kill(id, SIGTERM);
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.error().message.find("container not running"), std::string::npos) << again.error().message;
  }
}

TEST_F(ContainerTest, SignalsSentToTheMonitorReachTheWorkload) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto created = root_->create(spec("fwd", "trap 'exit 43' TERM; echo ready; while :; do sleep 0.05; done"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(root_->start("fwd").ok());
  ASSERT_TRUE(wait_for_log("fwd", "ready"));
  ASSERT_EQ(::kill(created->pid, SIGTERM), 0);
  EXPECT_EQ(wait_stopped("fwd").exit_status, 43);
}

TEST_F(ContainerTest, FailedOperationsLeaveTheStateUnchanged) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto created = root_->create(spec("steady", "echo ready; while :; do sleep 0.05; done"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(root_->start("steady").ok());
  ASSERT_TRUE(wait_for_log("steady", "ready"));
  const std::string state_file = root_->dir() + "/steady/state.json";
  const std::string before = slurp(state_file);

  auto start_again = root_->start("steady");
  ASSERT_FALSE(start_again.ok());
  EXPECT_NE(start_again.error().message.find("only a created container can be started"), std::string::npos);
  auto remove = root_->remove("steady", false);
  ASSERT_FALSE(remove.ok());
  EXPECT_NE(remove.error().message.find("is running"), std::string::npos) << remove.error().message;
  EXPECT_FALSE(root_->create(spec("steady", "true")).ok());

  EXPECT_EQ(slurp(state_file), before);
  auto st = root_->state("steady");
  EXPECT_EQ(st->status, Status::kRunning);
  EXPECT_EQ(st->pid, created->pid);

  ASSERT_TRUE(root_->remove("steady", true).ok());
  EXPECT_FALSE(root_->state("steady").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(gone(created->pid)) << "the monitor outlived delete --force";
}

TEST_F(ContainerTest, ACreatedContainerCanBeDeletedAndItsWorkloadNeverRuns) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto created = root_->create(spec("never", "echo ran"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(root_->remove("never", false).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(slurp(log("never")), "");
  EXPECT_TRUE(gone(created->pid)) << "the monitor outlived delete";
}

TEST_F(ContainerTest, AnInterruptedCreateIsListedAsCreatingAndCanBeRemoved) {
  // A crash between mkdir and the first state write leaves only the directory.
  ASSERT_EQ(mkdir((root_->dir() + "/half").c_str(), 0700), 0);
  auto all = root_->list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].status, Status::kCreating);
  EXPECT_FALSE(root_->start("half").ok());
  EXPECT_TRUE(root_->remove("half", false).ok());
  EXPECT_TRUE(root_->list()->empty());
}

TEST_F(ContainerTest, ADamagedEntryIsReportedAndForceRemovesIt) {
  const std::string dir = root_->dir() + "/damaged";
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  std::ofstream(dir + "/state.json") << "{\"id\": \"damaged\", \"status\": ";
  auto st = root_->state("damaged");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("state.json is damaged"), std::string::npos) << st.error().message;
  EXPECT_FALSE(root_->remove("damaged", false).ok());
  // A number where an integer belongs (a float, or beyond int64) is damage too, not a crash.
  std::ofstream(dir + "/exit.json") << R"({"status": 1e40, "finished_unix": 1, "error": ""})";
  std::ofstream(dir + "/state.json", std::ios::trunc)
      << R"({"id":"damaged","status":"running","pid":1,"pid_start_time":1,"workload_pid":99999999999,)"
      << R"("bundle":"","annotations":{},"backend":"sandbox","created_unix":1,"started_unix":0,"finished_unix":0,"exit_status":null})";
  auto range = root_->state("damaged");
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.error().message.find("workload_pid is out of range"), std::string::npos) << range.error().message;
  EXPECT_TRUE(root_->remove("damaged", true).ok());
  EXPECT_FALSE(root_->state("damaged").ok());
  EXPECT_TRUE(root_->list()->empty());
}

TEST_F(ContainerTest, AMonitorKilledOutrightIsStoppedWithoutAStatus) {
  EW_SKIP_WITHOUT_SANDBOX();
  auto created = root_->create(spec("hardkill", "echo ready; while :; do sleep 0.05; done"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(root_->start("hardkill").ok());
  ASSERT_TRUE(wait_for_log("hardkill", "ready"));
  ASSERT_EQ(::kill(created->pid, SIGKILL), 0);
  const ContainerState st = wait_stopped("hardkill");
  EXPECT_FALSE(st.exit_status.has_value());
}

// The VM backend with the freestanding test guests of tests/vmm-lite (x86_64, a usable /dev/kvm).
class VmContainerTest : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
#ifndef EW_GUEST_DIR
    GTEST_SKIP() << "SKIPPED: the test guests are built for x86_64 only";
#else
    auto kvm = vmm::Kvm::open();
    if (!kvm) GTEST_SKIP() << "SKIPPED: no usable /dev/kvm (" << kvm.error().message << ")";
#endif
  }
  ContainerSpec vm_spec(const std::string& id, const std::string& guest) {
    ContainerSpec s;
    s.id = id;
    s.workload.backend = Backend::kVm;
#ifdef EW_GUEST_DIR
    s.workload.vm.kernel = std::string(EW_GUEST_DIR) + "/" + guest + ".bin";
#endif
    s.workload.vm.mem_bytes = 64ull << 20;
    s.stdio.log_file = log(id);
    return s;
  }
};

TEST_F(VmContainerTest, TheGuestWaitsForStartThenItsConsoleAndOutcomeAreRecorded) {
  auto created = root_->create(vm_spec("vm-ok", "boot_state"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->backend, Backend::kVm);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(slurp(log("vm-ok")), "") << "the guest ran before start";
  ASSERT_TRUE(root_->start("vm-ok").ok());
  EXPECT_EQ(wait_stopped("vm-ok").exit_status, 0);
  EXPECT_NE(slurp(log("vm-ok")).find("BOOT-STATE-OK"), std::string::npos) << slurp(log("vm-ok"));
}

TEST_F(VmContainerTest, KillStopsARunningGuest) {
  auto created = root_->create(vm_spec("vm-spin", "spin"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(root_->start("vm-spin").ok());
  ASSERT_TRUE(wait_for_log("vm-spin", "SPINNING"));
  EXPECT_EQ(root_->state("vm-spin")->status, Status::kRunning);
  ASSERT_TRUE(root_->kill("vm-spin", SIGTERM).ok());
  EXPECT_EQ(wait_stopped("vm-spin").exit_status, 128 + SIGTERM);
}

TEST_F(VmContainerTest, AKernelThatIsNotABzImageFailsCreate) {
  const std::string bogus = tmp_ + "/not-a-kernel";
  std::ofstream(bogus) << "plain text, no boot header";
  ContainerSpec s = vm_spec("vm-bad", "none");
  s.workload.vm.kernel = bogus;
  auto r = root_->create(s);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(root_->list()->empty());
}

}  // namespace
}  // namespace edgeward::runtime

// The monitor is this binary re-executed with the hidden command (see container.h), and so is
// the sandbox's init (runtime/sandbox/init.h).
int main(int argc, char** argv) {
  if (edgeward::sandbox::is_init_invocation(argc, argv)) return edgeward::sandbox::init_main(argc, argv);
  if ((argc == 5 || argc == 6) && std::string_view(argv[1]) == edgeward::runtime::kMonitorCommand) {
    return edgeward::runtime::monitor_main(argv[2], argv[3], std::atoi(argv[4]), argc == 6 ? argv[5] : "");
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
