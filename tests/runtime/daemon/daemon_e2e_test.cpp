// The daemon end to end: a real `edgeward daemon` on a private socket, real signed images with a
// busybox rootfs, the real CLI. Bad input first (each leaves nothing behind), then the life
// cycle, restart policies, log rotation, re-adoption after kill -9 and the permission check.
#include <grp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <nlohmann/json.hpp>

#include "runtime/daemon/client.h"
#include "tests/runtime/daemon/daemon_harness.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::daemon {
namespace {

using testing::Harness;

constexpr gid_t kApiGroup = 4242;

const std::map<std::string, std::string> kScripts = {
    {"/exit3.sh", "#!/bin/sh\necho going to fail\nexit 3\n"},
    {"/chatty.sh", "#!/bin/sh\ni=0\nwhile true; do i=$((i+1)); echo edgeward-log-line-$i-padding-padding-padding; "
                   "sleep 0.01; done\n"},
    {"/quick.sh", "#!/bin/sh\necho quick run\nexit 0\n"},
};

class Daemon : public ::testing::Test {
 protected:
  void SetUp() override {
    EW_SKIP_WITHOUT_SANDBOX();
    h_ = std::make_unique<Harness>();
    h_->make_pki_and_rootfs(kScripts);
    h_->start_daemon({"--group", std::to_string(kApiGroup), "--log-max-size", "2KiB", "--log-keep", "2"});
  }
  void TearDown() override { h_.reset(); }

  std::string status(const std::string& name) {
    auto r = h_->cli({"inspect", name, "--json"});
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_object() ? j.value("status", "") : "(" + r.err + ")";
  }
  nlohmann::json inspect(const std::string& name) {
    return nlohmann::json::parse(h_->cli({"inspect", name, "--json"}).out, nullptr, false);
  }
  // Nothing of `name` anywhere: not listed, no record, no unpacked directory, no container entry.
  void expect_no_trace(const std::string& name, const std::string& what) {
    EXPECT_EQ(h_->cli({"ps"}).out.find(name), std::string::npos) << what << ": still listed";
    EXPECT_FALSE(std::filesystem::exists(h_->state() + "/workloads/" + name)) << what << ": unpacked dir left";
    EXPECT_FALSE(std::filesystem::exists(h_->state() + "/workloads/" + name + ".json")) << what << ": record left";
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(h_->dir() + "/run/containers", ec)) {
      EXPECT_EQ(e.path().filename().string().find(name), std::string::npos) << what << ": container " << e.path();
    }
  }

  std::unique_ptr<Harness> h_;
};

TEST_F(Daemon, BadInputIsRefusedAndLeavesNothing) {
  const std::string unsigned_img = h_->image("unsigned", "/bin/busybox true", "", "pki", false);
  const std::string foreign = h_->image("foreign", "/bin/busybox true", "", "other-pki");
  // An archive with an absolute path, made by tar itself (-P keeps the leading slash).
  std::ofstream(h_->dir() + "/planted") << "x";
  ASSERT_EQ(std::system(("tar -cPf " + testing::quote(h_->dir() + "/evil.tar") + " " +
                         testing::quote(h_->dir() + "/planted")).c_str()), 0);
  std::filesystem::remove(h_->dir() + "/planted");
  const std::string evil = h_->image("evil", "/bin/busybox true", h_->dir() + "/evil.tar");
  const std::string good = h_->image("good", "/bin/busybox sleep 30");
  ASSERT_EQ(h_->cli({"run", good, "--name", "taken", "--detach"}).exit, 0);
  h_->track("taken");

  struct Case {
    const char* what;
    std::vector<std::string> args;
    int exit;
    const char* err;
    const char* name;
  };
  const Case cases[] = {
      {"unknown image", {"run", h_->dir() + "/nope.ewi", "--name", "n1"}, 3, "not found", "n1"},
      {"not an image", {"run", h_->dir() + "/rootfs.tar", "--name", "n2"}, 2, "bad magic", "n2"},
      {"unsigned image", {"run", unsigned_img, "--name", "n3"}, 1, "not signed", "n3"},
      {"signed by another CA", {"run", foreign, "--name", "n4"}, 1, "not trusted by the fleet CA", "n4"},
      {"unpack error", {"run", evil, "--name", "n5"}, 2, "absolute path refused", "n5"},
      {"name in use", {"run", good, "--name", "taken"}, 2, "already in use", "taken-x"},
      {"bad name", {"run", good, "--name", "../up"}, 2, "is not a workload name", "up"},
      {"bad restart policy", {"run", good, "--name", "n6", "--restart", "sometimes"}, 2, "on-failure:N", "n6"},
      {"bad backend", {"run", good, "--name", "n7", "--backend", "kvm"}, 2, "use auto, vm or sandbox", "n7"},
      {"vm without a kernel", {"run", good, "--name", "n8", "--backend", "vm"}, 2, "has no kernel", "n8"},
      {"stop unknown", {"stop", "ghost"}, 3, "no workload named 'ghost'", "ghost"},
      {"rm running without force", {"rm", "taken"}, 2, "is running: stop it first", "taken-x"},
      {"logs unknown", {"logs", "ghost"}, 3, "no workload named", "ghost"},
  };
  for (const auto& c : cases) {
    auto r = h_->cli(c.args);
    EXPECT_EQ(r.exit, c.exit) << c.what << ": " << r.err;
    EXPECT_NE(r.err.find(c.err), std::string::npos) << c.what << ": " << r.err;
    expect_no_trace(c.name, c.what);
  }
  EXPECT_FALSE(std::filesystem::exists(h_->dir() + "/planted")) << "the absolute path was written";
  EXPECT_EQ(status("taken"), "running") << "a refused run touched the workload of the same name";
}

TEST_F(Daemon, CreatesTheAttestationKeyOnFirstStartAndKeepsIt) {
  const std::string key = h_->state() + "/attest/device.key";
  struct stat st{};
  ASSERT_EQ(::stat(key.c_str(), &st), 0) << h_->daemon_log();
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(std::filesystem::exists(h_->state() + "/attest/device.csr"));
  const std::string before = testing::slurp(key);
  h_->stop_daemon();
  h_->start_daemon();
  EXPECT_EQ(testing::slurp(key), before) << "a restart replaced the device key";
  EXPECT_NE(h_->daemon_log().find("device id "), std::string::npos);
}

TEST_F(Daemon, RunFollowsOutputAndReturnsTheExitCode) {
  const std::string quick = h_->image("quick", "/bin/sh /quick.sh");
  const std::string fail = h_->image("fail3", "/bin/sh /exit3.sh");
  auto ok = h_->cli({"run", quick, "--name", "q"});
  h_->track("q");
  EXPECT_EQ(ok.exit, 0) << ok.err;
  EXPECT_EQ(ok.out, "quick run\n");
  EXPECT_NE(ok.err.find("sandbox: the image has no kernel"), std::string::npos) << ok.err;
  auto bad = h_->cli({"run", fail, "--name", "f"});
  h_->track("f");
  EXPECT_EQ(bad.exit, 3);
  EXPECT_EQ(bad.out, "going to fail\n");
  EXPECT_EQ(h_->cli({"logs", "f"}).out, "going to fail\n");
  const auto lj = nlohmann::json::parse(h_->cli({"logs", "f", "--json"}).out, nullptr, false);
  EXPECT_EQ(lj.value("log", ""), "going to fail\n");
  EXPECT_EQ(lj.value("offset", 0), 14);
  const auto j = inspect("f");
  EXPECT_EQ(j.value("status", ""), "exited");
  EXPECT_EQ(j.value("exit_status", -1), 3);
  EXPECT_EQ(j.value("backend", ""), "sandbox");
  EXPECT_EQ(j.value("signer", ""), "CN=edgeward image signer, O=edgeward");
  auto ps = h_->cli({"ps", "--json"});
  EXPECT_EQ(nlohmann::json::parse(ps.out, nullptr, false).size(), 2u) << ps.out;
  EXPECT_EQ(h_->cli({"rm", "q"}).exit, 0);
  expect_no_trace("q", "rm");
  EXPECT_FALSE(std::filesystem::exists(h_->state() + "/logs/q.log"));
}

TEST_F(Daemon, RestartPolicies) {
  const std::string fail = h_->image("fail3", "/bin/sh /exit3.sh");
  const std::string quick = h_->image("quick", "/bin/sh /quick.sh");
  ASSERT_EQ(h_->cli({"run", fail, "--name", "onfail", "--restart", "on-failure:2", "--detach"}).exit, 0);
  ASSERT_EQ(h_->cli({"run", quick, "--name", "forever", "--restart", "always", "--detach"}).exit, 0);
  ASSERT_EQ(h_->cli({"run", fail, "--name", "never", "--detach"}).exit, 0);
  for (const char* n : {"onfail", "forever", "never"}) h_->track(n);
  EXPECT_TRUE(Harness::eventually([&] { return status("onfail") == "exited"; })) << status("onfail");
  EXPECT_EQ(inspect("onfail").value("restarts", 0), 2) << "on-failure:2 restarts twice, then gives up";
  EXPECT_EQ(inspect("onfail").value("exit_status", 0), 3);
  EXPECT_TRUE(Harness::eventually([&] { return inspect("forever").value("restarts", 0) >= 2; }))
      << "always restarts a workload that exits 0";
  EXPECT_EQ(inspect("never").value("restarts", -1), 0);
  EXPECT_EQ(h_->cli({"stop", "forever"}).exit, 0);
  EXPECT_EQ(status("forever"), "stopped");
  const int restarts = inspect("forever").value("restarts", 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(inspect("forever").value("restarts", 0), restarts) << "a stopped workload was restarted";
  EXPECT_NE(h_->cli({"logs", "onfail"}).out.find("going to fail\ngoing to fail\ngoing to fail\n"), std::string::npos)
      << "every run appends to the same log";
}

// A workload that dies of a fault ends at once (it once spun forever as pid 1 of its namespace),
// reports 128 + the signal, and its restart policy sees that end.
TEST_F(Daemon, ACrashingWorkloadEndsAndItsRestartPolicyApplies) {
  const std::string crash = h_->image("crash", "/bin/crash null");
  const auto t0 = std::chrono::steady_clock::now();
  auto once = h_->cli({"run", crash, "--name", "segv"});
  h_->track("segv");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  EXPECT_EQ(once.exit, 128 + SIGSEGV) << once.err;
  EXPECT_EQ(status("segv"), "exited");
  EXPECT_EQ(inspect("segv").value("exit_status", -1), 128 + SIGSEGV);
  ASSERT_EQ(h_->cli({"run", crash, "--name", "segv-again", "--restart", "on-failure:2", "--detach"}).exit, 0);
  h_->track("segv-again");
  EXPECT_TRUE(Harness::eventually([&] { return status("segv-again") == "exited"; })) << status("segv-again");
  EXPECT_EQ(inspect("segv-again").value("restarts", 0), 2) << "on-failure:2 restarts a crashed workload twice";
  EXPECT_EQ(inspect("segv-again").value("exit_status", 0), 128 + SIGSEGV);
}

TEST_F(Daemon, LogsAreRotatedBySizeKeepingN) {
  const std::string chatty = h_->image("chatty", "/bin/sh /chatty.sh");
  ASSERT_EQ(h_->cli({"run", chatty, "--name", "chat", "--detach"}).exit, 0);
  h_->track("chat");
  const std::string log = h_->state() + "/logs/chat.log";
  EXPECT_TRUE(Harness::eventually([&] { return std::filesystem::exists(log + ".2"); }, 20000)) << "never rotated twice";
  EXPECT_FALSE(std::filesystem::exists(log + ".3")) << "--log-keep 2 keeps two rotated files";
  EXPECT_LE(std::filesystem::file_size(log + ".1"), 64u * 1024) << "rotation did not bound the file";
  EXPECT_NE(testing::slurp(log + ".1").find("edgeward-log-line-"), std::string::npos);
  EXPECT_EQ(h_->cli({"rm", "--force", "chat"}).exit, 0);
  EXPECT_FALSE(std::filesystem::exists(log + ".1")) << "rm removes rotated logs too";
}

// Started by `ota boot` from slot B, the daemon measures slot B (a changed slot is a new boot).
TEST_F(Daemon, MeasuresTheSlotOtaBootStartedItFrom) {
  h_->stop_daemon();
  ::setenv("EDGEWARD_OTA_SLOT", "B", 1);
  h_->start_daemon({"--group", std::to_string(kApiGroup)});
  ::unsetenv("EDGEWARD_OTA_SLOT");
  EXPECT_NE(h_->daemon_log().find("measured boot 2 (slot B)"), std::string::npos) << h_->daemon_log();
  auto log = h_->cli({"attest", "log", "--state", h_->state() + "/attest", "--json"});
  EXPECT_NE(log.out.find("\"data\": \"slot B\""), std::string::npos) << "slot B is not in the event log: " << log.out;
}

TEST_F(Daemon, ReadoptsRunningWorkloadsAfterKill9) {
  const std::string sleeper = h_->image("sleeper", "/bin/busybox sleep 300");
  ASSERT_EQ(h_->cli({"run", sleeper, "--name", "s", "--detach"}).exit, 0);
  h_->track("s");
  const int pid = inspect("s").value("pid", 0);
  ASSERT_GT(pid, 0);
  h_->kill_daemon(SIGKILL);
  EXPECT_EQ(::kill(pid, 0), 0) << "the workload died with the daemon";
  h_->start_daemon({"--group", std::to_string(kApiGroup)});
  EXPECT_NE(h_->daemon_log().find("adopted s (running, pid " + std::to_string(pid) + ")"), std::string::npos)
      << h_->daemon_log();
  EXPECT_NE(h_->daemon_log().find("measured boot 1 continues"), std::string::npos)
      << "a daemon restart within the same boot started a new measured boot:\n" << h_->daemon_log();
  auto log = h_->cli({"attest", "log", "--state", h_->state() + "/attest", "--json"});
  EXPECT_NE(log.out.find("sleeper 1.0"), std::string::npos) << "the adopted workload's launch left the event log";
  EXPECT_EQ(status("s"), "running");
  EXPECT_EQ(inspect("s").value("pid", 0), pid);
  auto st = h_->cli({"stop", "s", "--timeout", "5"});
  EXPECT_EQ(st.exit, 0) << st.err;
  EXPECT_EQ(status("s"), "stopped");
  EXPECT_TRUE(Harness::eventually([&] { return ::kill(pid, 0) != 0; }, 3000)) << "the monitor still lives";
}

TEST_F(Daemon, AutoChoosesByMeasuredKvmSpeedAndVmCanBeForced) {
#ifndef EW_GUEST_DIR
  GTEST_SKIP() << "SKIPPED: no test guest kernel for this arch (vmm-lite's tiny guests are x86_64 only)";
#else
  if (::access("/dev/kvm", R_OK | W_OK) != 0) GTEST_SKIP() << "SKIPPED: no usable /dev/kvm";
  const std::string both = h_->dir() + "/both.ewi";
  auto b = h_->cli({"image", "build", "--out", both, "--name", "both", "--kernel",
                    std::string(EW_GUEST_DIR) + "/boot_state.bin", "--rootfs-archive", h_->dir() + "/rootfs.tar",
                    "--entry", "/bin/sh /quick.sh", "--memory", "64MiB"});
  ASSERT_EQ(b.exit, 0) << b.err;
  ASSERT_EQ(h_->cli({"image", "sign", both, "--key", h_->dir() + "/pki/signer.key", "--cert",
                     h_->dir() + "/pki/signer.crt"}).exit, 0);
  auto a = h_->cli({"run", both, "--name", "auto"});
  h_->track("auto");
  ASSERT_EQ(a.exit, 0) << a.err;
  const auto j = inspect("auto");
  if (j.value("backend", "") == "sandbox") {
    EXPECT_NE(a.err.find("sandbox: KVM is slow"), std::string::npos) << "auto must say why: " << a.err;
    EXPECT_EQ(a.out, "quick run\n");
  } else {
    EXPECT_NE(j.value("backend_reason", "").find("KVM is fast"), std::string::npos) << j.dump();
  }
  EXPECT_TRUE(std::filesystem::exists(h_->state() + "/kvm-calibration")) << "the verdict was not cached";
  auto vm = h_->cli({"run", both, "--name", "forced", "--backend", "vm"});
  h_->track("forced");
  EXPECT_EQ(vm.exit, 0) << vm.err;
  EXPECT_NE(vm.out.find("BOOT-STATE-OK"), std::string::npos) << "the guest's console is the workload's output";
  EXPECT_EQ(inspect("forced").value("backend", ""), "vm");
  EXPECT_NE(vm.err.find("forced by --backend vm"), std::string::npos) << vm.err;
#endif
}

// A child that becomes another user (and optionally joins the API group) and calls `ps`.
int call_as(const std::string& socket, uid_t uid, std::vector<gid_t> groups) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(65534) != 0 || ::setuid(uid) != 0) ::_exit(90);
    auto c = Client::connect(socket);
    if (!c) ::_exit(c.error().code == ErrorCode::kPermission ? 10 : 11);
    auto r = c->call({.op = Op::kPs});
    if (!r) ::_exit(r.error().code == ErrorCode::kPermission ? 20 : 21);
    ::_exit(0);
  }
  int st = 0;
  ::waitpid(child, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F(Daemon, RefusesUsersOutsideTheGroup) {
  struct stat st{};
  ASSERT_EQ(::stat(h_->socket().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  EXPECT_EQ(st.st_gid, kApiGroup);
  EXPECT_EQ(call_as(h_->socket(), 65534, {}), 10) << "the socket's mode lets a stranger connect";
  // Past the file mode (as if it were loosened), the daemon's own SO_PEERCRED check still refuses.
  ASSERT_EQ(::chmod(h_->socket().c_str(), 0666), 0);
  EXPECT_EQ(call_as(h_->socket(), 65534, {}), 20) << "the daemon answered a stranger";
  EXPECT_EQ(call_as(h_->socket(), 65534, {kApiGroup}), 0) << "a member of the API group was refused";
  auto m = h_->cli({"metrics"});
  EXPECT_NE(m.out.find("edgeward_api_refused_total 1"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("edgeward_daemon_open_fds "), std::string::npos);
}

TEST_F(Daemon, HostileFramesGetAnErrorAndTheDaemonStaysUp) {
  const auto raw = [&](const std::vector<uint8_t>& bytes) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", h_->socket().c_str());
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    ::shutdown(fd, SHUT_WR);
    std::string reply;
    char buf[512];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) reply.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return reply;
  };
  EXPECT_NE(raw({0x7f, 0xff, 0xff, 0xff}).find("larger than the 4096 allowed"), std::string::npos);
  EXPECT_NE(raw({0, 0, 0, 2, 0x08, 0x63}).find("unknown operation 99"), std::string::npos);
  EXPECT_NE(raw({0, 0, 0, 9, 1}).find("middle of a frame"), std::string::npos);
  EXPECT_NE(raw({0, 0, 0, 1, 0x08}).find("malformed request"), std::string::npos);
  EXPECT_EQ(h_->cli({"ps"}).exit, 0) << "the daemon did not survive hostile frames";
}

}  // namespace
}  // namespace edgeward::daemon
