// Boots the freestanding test guests through the same path as Linux (bzImage, 64-bit boot
// protocol, ACPI): on the local /dev/kvm, or inside the x86_64 test host when there is none
// (tiny_guest_env.h; without /dev/kvm they skip here, saying where they run instead).
#include <fcntl.h>
#include <pty.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <poll.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "tests/vmm-lite/tiny_guest_env.h"
#include "vmm-lite/kvm/kvm.h"
#include "vmm-lite/vmm.h"

namespace edgeward::vmm {
namespace {

using tiny::guest;

class TinyGuest : public ::testing::Test {
 protected:
  void SetUp() override { tiny::require_kvm_and_say_where(); }

  struct Run {
    Outcome outcome;
    std::string console;
  };

  Run boot(const std::string& kernel, std::vector<DiskConfig> disks = {}, uint32_t vcpus = 1) {
    VmConfig c;
    c.kernel = kernel;
    c.mem_bytes = 64 << 20;
    c.vcpus = vcpus;
    c.disks = std::move(disks);
    Run r;
    auto vm = Vmm::create(c, [&r](std::span<const uint8_t> b) { r.console.append(b.begin(), b.end()); });
    EXPECT_TRUE(vm.ok()) << vm.error().message;
    if (!vm.ok()) return r;
    auto out = (*vm)->run({.jail = false, .console_input = false});
    EXPECT_TRUE(out.ok()) << out.error().message;
    if (out.ok()) r.outcome = *out;
    return r;
  }

  std::string temp_disk(const std::string& first_sector_text, size_t sectors = 8) {
    const std::string path = ::testing::TempDir() + "/disk-" + std::to_string(::getpid()) + ".img";
    std::string img(sectors * 512, '\0');
    img.replace(0, first_sector_text.size(), first_sector_text);
    std::ofstream(path, std::ios::binary) << img;
    return path;
  }

  static std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

TEST_F(TinyGuest, BootStateMatchesThe64BitBootProtocol) {
  auto r = boot(guest("boot_state"));
  EXPECT_NE(r.console.find("BOOT-STATE-OK cmdline=console=ttyS0"), std::string::npos) << r.console;
  // The TSC-deadline timer is offered exactly when KVM emulates it (it is not in the supported CPUID).
  const bool deadline = Kvm::open()->check_extension(KVM_CAP_TSC_DEADLINE_TIMER) > 0;
  EXPECT_NE(r.console.find(deadline ? "TSC-DEADLINE=yes" : "TSC-DEADLINE=no"), std::string::npos) << r.console;
  EXPECT_EQ(r.outcome.reason, StopReason::kPowerOff) << r.outcome.message << "\n" << r.console;
  EXPECT_EQ(exit_code(r.outcome), 0);
}

TEST_F(TinyGuest, ExitStatsCountEveryDeviceAccess) {
  VmConfig c;
  c.kernel = guest("boot_state");
  c.mem_bytes = 32 << 20;
  std::string console;
  auto vm = Vmm::create(c, [&](std::span<const uint8_t> b) { console.append(b.begin(), b.end()); });
  ASSERT_TRUE(vm.ok()) << vm.error().message;
  auto out = (*vm)->run({.jail = false, .console_input = false, .stats = true});
  ASSERT_TRUE(out.ok());
  const auto& by = out->stats.by_address;
  ASSERT_EQ(by.count({'p', 0x3f8}), 1u);
  EXPECT_EQ(by.at({'p', 0x3f8}), console.size()) << "one UART exit per byte printed";
  EXPECT_EQ(by.at({'p', 0x600}), 1u) << "one power-off write";
  EXPECT_EQ(out->stats.total, console.size() + 1);
}

TEST_F(TinyGuest, BootsWithTwoVcpus) {
  auto r = boot(guest("boot_state"), {}, 2);
  EXPECT_NE(r.console.find("BOOT-STATE-OK"), std::string::npos) << r.console;
  EXPECT_EQ(r.outcome.reason, StopReason::kPowerOff) << r.outcome.message;
}

TEST_F(TinyGuest, TripleFaultEndsTheVmWithAClearMessage) {
  auto r = boot(guest("triple_fault"));
  EXPECT_NE(r.console.find("about to triple fault"), std::string::npos) << r.console;
  EXPECT_EQ(r.outcome.reason, StopReason::kTripleFault) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("triple fault"), std::string::npos);
  EXPECT_EQ(exit_code(r.outcome), 5);
}

TEST_F(TinyGuest, VirtioBlkReadsWritesAndRefusesPastTheEnd) {
  const std::string disk = temp_disk("EDGEWARD-DISK-CONTENT");
  auto r = boot(guest("virtio_blk"), {{disk, false}});
  EXPECT_NE(r.console.find("CAPACITY 0x0000000000000008"), std::string::npos) << r.console;
  EXPECT_NE(r.console.find("DISK: EDGEWARD-DISK-CONTENT"), std::string::npos) << r.console;
  EXPECT_NE(r.console.find("WRITE-STATUS=0x0000000000000000"), std::string::npos) << r.console;
  EXPECT_NE(r.console.find("PAST-END-STATUS=0x0000000000000001"), std::string::npos) << r.console;
  EXPECT_EQ(r.outcome.reason, StopReason::kPowerOff) << r.outcome.message << "\n" << r.console;
  EXPECT_EQ(read_all(disk).substr(512, 4), "ABCD") << "the guest's write did not reach the image";
  ::unlink(disk.c_str());
}

TEST_F(TinyGuest, ReadOnlyDiskRefusesWrites) {
  const std::string disk = temp_disk("READ-ONLY-DISK");
  const std::string before = read_all(disk);
  auto r = boot(guest("virtio_blk"), {{disk, true}});
  EXPECT_NE(r.console.find("DISK: READ-ONLY-DISK"), std::string::npos) << r.console;
  EXPECT_NE(r.console.find("WRITE-STATUS=0x0000000000000001"), std::string::npos) << r.console;
  EXPECT_EQ(read_all(disk), before);
  ::unlink(disk.c_str());
}

TEST_F(TinyGuest, AgentChannelCarriesBytesBothWays) {
  const std::string path = ::testing::TempDir() + "/agent-" + std::to_string(::getpid()) + ".sock";
  ::unlink(path.c_str());
  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  std::string from_guest;
  int conn = -1;  // stays open until the VM has stopped: the guest reads the reply at its own pace
  std::thread host([&] {
    conn = ::accept(listener, nullptr, nullptr);
    char buf[64];
    while (from_guest.size() < 16) {
      const ssize_t n = ::read(conn, buf, sizeof buf);
      if (n <= 0) break;
      from_guest.append(buf, static_cast<size_t>(n));
    }
    const char reply[] = "PONG-FROM-HOST";
    [[maybe_unused]] const ssize_t sent = ::write(conn, reply, sizeof reply - 1);
  });
  VmConfig c;
  c.kernel = guest("agent");
  c.mem_bytes = 64 << 20;
  c.agent_socket = path;
  std::string console;
  auto vm = Vmm::create(c, [&](std::span<const uint8_t> b) { console.append(b.begin(), b.end()); });
  ASSERT_TRUE(vm.ok()) << vm.error().message;
  auto out = (*vm)->run({.jail = false, .console_input = false});
  host.join();
  if (conn >= 0) ::close(conn);
  ::close(listener);
  ::unlink(path.c_str());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(from_guest, "HELLO-FROM-GUEST");
  EXPECT_NE(console.find("AGENT-SAYS: PONG-FROM-HOST"), std::string::npos) << console;
  EXPECT_EQ(out->reason, StopReason::kPowerOff) << out->message << "\n" << console;
}

TEST_F(TinyGuest, HostileGuestCannotCrashTheVmm) {
  const std::string disk = temp_disk("HOSTILE-TARGET", 16);
  const std::string before = read_all(disk);
  auto r = boot(guest("hostile"), {{disk, true}});
  EXPECT_NE(r.console.find("random I/O survived"), std::string::npos) << r.console;
  for (const char* c : {"descriptor loop", "buffer outside guest RAM", "buffer length past guest RAM",
                        "head index out of range", "available index lies", "next index out of range",
                        "indirect descriptor not negotiated", "readable descriptor after writable",
                        "request without status descriptor", "descriptor table outside guest RAM",
                        "queue size not a power of two"}) {
    EXPECT_NE(r.console.find(std::string("caught: ") + c), std::string::npos) << c << "\n" << r.console;
  }
  EXPECT_NE(r.console.find("HOSTILE-DONE"), std::string::npos) << r.console;
  EXPECT_EQ(r.outcome.reason, StopReason::kPowerOff) << r.outcome.message << "\n" << r.console;
  EXPECT_EQ(read_all(disk), before);
  ::unlink(disk.c_str());
}

}  // namespace
}  // namespace edgeward::vmm

namespace edgeward::vmm {
namespace {

// The real binary, as a user runs it: jailed threads, closed fds, signals, exit codes.
class VmmProcess : public ::testing::Test {
 protected:
  void SetUp() override { tiny::require_kvm_and_say_where(); }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  // Starts `edgeward vm run ARGS` with stdout on a pipe and an inherited, non-CLOEXEC fd.
  void start(std::vector<std::string> args) {
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    leaked_fd_ = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC: it reaches the child
    ASSERT_GE(leaked_fd_, 3);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      if (stdin_fd_ >= 0) ::dup2(stdin_fd_, STDIN_FILENO);
      std::string binary = tiny::edgeward_binary();
      std::vector<char*> argv{binary.data(), const_cast<char*>("vm"), const_cast<char*>("run")};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(leaked_fd_);
    stdout_fd_ = out[0];
  }

  // Reads the child's stdout until `marker` appears or 30 s (times the scale) pass.
  bool wait_for(const std::string& marker) {
    const auto deadline = std::chrono::steady_clock::now() + tiny::scaled(std::chrono::seconds(30));
    char buf[512];
    while (std::chrono::steady_clock::now() < deadline) {
      if (output_.find(marker) != std::string::npos) return true;
      pollfd p{stdout_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
      if (n <= 0) break;
      output_.append(buf, static_cast<size_t>(n));
    }
    return output_.find(marker) != std::string::npos;
  }

  // Reads stdout to its end (the process exited or closed it).
  void drain() {
    char buf[512];
    ssize_t n;
    while ((n = ::read(stdout_fd_, buf, sizeof buf)) > 0) output_.append(buf, static_cast<size_t>(n));
  }

  int wait_exit() {
    drain();
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  std::string proc(const std::string& rel) {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/" + rel);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int leaked_fd_ = -1;
  int stdout_fd_ = -1;
  std::string output_;
};

TEST_F(VmmProcess, EveryThreadIsJailedAndInheritedFdsAreClosed) {
  start({"--kernel", guest("spin"), "--vcpus", "2", "--mem", "32M"});
  ASSERT_TRUE(wait_for("SPINNING")) << output_;
  std::vector<std::string> tasks;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task")) {
    tasks.push_back(e.path().filename());
  }
  EXPECT_GE(tasks.size(), 3u) << "control thread + 2 vCPU threads";
  for (const auto& t : tasks) {
    const std::string status = proc("task/" + t + "/status");
    EXPECT_NE(status.find("Seccomp:\t2"), std::string::npos) << "thread " << t << " is not filtered";
    EXPECT_NE(status.find("NoNewPrivs:\t1"), std::string::npos) << "thread " << t;
  }
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/fd")) {
    if (std::stoi(e.path().filename().string()) <= 2) continue;  // stdio may be /dev/null
    const std::string target = std::filesystem::read_symlink(e.path());
    EXPECT_NE(target, "/dev/null") << "inherited fd " << e.path().filename() << " was not closed";
  }
  ::kill(pid_, SIGTERM);
  const int status = wait_exit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << "SIGTERM stops the VM cleanly, status " << status;
}

// Scheduling policy (field 41 of /proc/PID/task/TID/stat) by thread name (field 2). KVM's own
// worker threads show up there too (kvm-nx-lpage-recovery).
std::multimap<std::string, int> thread_policies(pid_t pid) {
  std::multimap<std::string, int> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    std::ifstream in(e.path() / "stat");
    const std::string stat{std::istreambuf_iterator<char>(in), {}};
    const size_t open = stat.find('('), close = stat.rfind(')');
    std::istringstream fields(stat.substr(close + 2));  // from field 3 (state) on
    std::string f;
    for (int i = 3; i <= 41 && fields >> f; ++i) {
      if (i == 41) out.emplace(stat.substr(open + 1, close - open - 1), std::stoi(f));
    }
  }
  return out;
}

TEST_F(VmmProcess, VcpuThreadsRunUnderTheChosenHostPolicy) {
  for (const char* policy : {"batch", "normal"}) {
    start({"--kernel", guest("spin"), "--vcpus", "2", "--mem", "32M", "--vcpu-sched", policy});
    ASSERT_TRUE(wait_for("SPINNING")) << output_;
    const int want = std::string(policy) == "batch" ? SCHED_BATCH : SCHED_OTHER;
    const auto policies = thread_policies(pid_);
    for (const char* vcpu : {"ew-vcpu0", "ew-vcpu1"}) {
      ASSERT_EQ(policies.count(vcpu), 1u) << vcpu << " is missing: vCPU threads are named";
      EXPECT_EQ(policies.find(vcpu)->second, want) << "--vcpu-sched " << policy << ": " << vcpu;
    }
    ASSERT_EQ(policies.count("edgeward"), 1u) << "the control thread";
    EXPECT_EQ(policies.find("edgeward")->second, SCHED_OTHER) << "the control thread keeps SCHED_OTHER";
    ::kill(pid_, SIGTERM);
    wait_exit();
    output_.clear();
  }
  start({"--kernel", guest("spin"), "--vcpu-sched", "fifo"});
  const int status = wait_exit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << "an unknown policy is refused";
}

TEST_F(VmmProcess, TerminalInputReachesTheGuestUart) {
  int master = -1, slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  stdin_fd_ = slave;  // the child's stdin is a terminal: the VMM forwards it to the UART
  start({"--kernel", guest("echo"), "--mem", "32M"});
  ::close(slave);
  ASSERT_TRUE(wait_for("READY")) << output_;
  const char input[] = "typed-in.";
  ASSERT_EQ(::write(master, input, sizeof input - 1), static_cast<ssize_t>(sizeof input - 1));
  ASSERT_TRUE(wait_for("GOT:typed-in")) << output_;
  const int status = wait_exit();
  ::close(master);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST_F(VmmProcess, PowerOffExitsZeroAndTripleFaultExitsFive) {
  start({"--kernel", guest("boot_state"), "--mem", "32M", "--cmdline", "edgeward.test=1"});
  ASSERT_TRUE(wait_for("BOOT-STATE-OK")) << output_;
  int status = wait_exit();
  EXPECT_NE(output_.find("edgeward.test=1"), std::string::npos) << output_;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;

  output_.clear();
  start({"--kernel", guest("triple_fault"), "--mem", "32M"});
  status = wait_exit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 5) << "status " << status;
}

}  // namespace
}  // namespace edgeward::vmm
