// The escape battery: every hostile program under hostile/ tries one technique inside the
// sandbox (test-policy.xml: the default profile plus a file that must stay unreadable), and
// each test asserts that the technique failed in the expected way and, where the supervisor
// refused it, that the refusal was reported. A control test runs a few programs natively to
// show that they do detect an escape when the technique works.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {

using testing::rootfs;
using testing::test_policy;

// kKilledByFault: SIGSYS from the filter's bad-arch action where the kernel runs the foreign ABI,
// SIGSEGV where it has no such ABI at all (int 0x80 without IA32 emulation is a #GP fault).
enum class Outcome { kRefused, kKilledBySigsys, kKilledByFault };

struct Case {
  const char* program;
  std::vector<std::string> args;
  Outcome outcome;
  const char* denied_syscall;  // a denial the report must list ("" = none required; "a|b": either)
  bool net_host = false;       // run with --net host
  bool host_root_file = false; // bind a host-root-owned 0644 file read-write at /host-root-file, writable by policy
};

std::string abstract_name() { return "edgeward-escape-" + std::to_string(getpid()); }
// Short whatever the build directory (sun_path holds 108 bytes); the sandbox's /tmp is its own.
std::string path_socket() { return "/tmp/edgeward-escape-" + std::to_string(getpid()) + ".sock"; }
// Host services whose sockets lie inside the image's tree (under /data, read-only by policy).
std::string image_socket(const char* kind) { return "/data/host-" + std::string(kind) + "-" + std::to_string(getpid()) + ".sock"; }

#if defined(__x86_64__)
constexpr Outcome kX32 = Outcome::kKilledBySigsys, kInt80 = Outcome::kKilledByFault;
#else  // arm64 has neither ABI: the programs say so and exit 0 (seen in the arm64 test host)
constexpr Outcome kX32 = Outcome::kRefused, kInt80 = Outcome::kRefused;
#endif

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      // the filter kills foreign ABIs outright
      {"x32_syscall", {}, kX32, ""},
      {"int80", {}, kInt80, ""},
      // path checks and their races
      {"path_race", {}, Outcome::kRefused, "openat"},
      {"dotdot_escape", {EW_HOST_MARKER}, Outcome::kRefused, ""},
      {"symlink_escape", {EW_HOST_MARKER}, Outcome::kRefused, "openat"},
      {"chroot_escape", {EW_HOST_MARKER}, Outcome::kRefused, "chroot"},
      {"proc_escape", {}, Outcome::kRefused, "openat"},
      {"proc_mem", {}, Outcome::kRefused, "openat"},
      {"scratch_tamper", {}, Outcome::kRefused, "mprotect"},
      {"rootfs_write", {}, Outcome::kRefused, "mknodat"},
      // processes
      {"fork_race", {}, Outcome::kRefused, "openat"},
      {"ptrace_attack", {}, Outcome::kRefused, "ptrace"},
      {"process_vm", {}, Outcome::kRefused, "process_vm_writev"},
      {"kill_supervisor", {}, Outcome::kRefused, ""},
      {"setuid_exec", {}, Outcome::kRefused, "execve"},
      {"memfd_exec", {}, Outcome::kRefused, ""},
      {"clone3_seccomp", {}, Outcome::kRefused, "clone3"},
      {"personality", {}, Outcome::kRefused, "personality"},
      {"prctl_tricks", {}, Outcome::kRefused, "prctl"},
      // namespaces and mounts
      {"unshare_setns", {}, Outcome::kRefused, "unshare"},
      {"mount_attack", {}, Outcome::kRefused, "mount"},
      {"open_by_handle", {}, Outcome::kRefused, "open_by_handle_at"},
      // kernel attack surface
      {"io_uring", {}, Outcome::kRefused, "io_uring_setup"},
      {"bpf_attack", {}, Outcome::kRefused, "bpf"},
      {"perf_event", {}, Outcome::kRefused, "perf_event_open"},
      {"userfaultfd", {}, Outcome::kRefused, "userfaultfd"},
      {"keyring", {}, Outcome::kRefused, "add_key"},
      // communication with the outside
      {"raw_socket", {}, Outcome::kRefused, "socket"},
      {"fd_passing", {abstract_name(), path_socket()}, Outcome::kRefused, ""},
      {"fd_passing", {abstract_name(), path_socket()}, Outcome::kRefused, "socket", true},
      {"tiocsti", {}, Outcome::kRefused, ""},
      // the supervisor's notification path (open and stat answered by the supervisor itself)
      {"stat_race", {}, Outcome::kRefused, ""},
      {"dirfd_race", {}, Outcome::kRefused, "openat"},
      {"symlink_swap_race", {}, Outcome::kRefused, ""},
      {"attr_swap_race", {}, Outcome::kRefused, "chmod|fchmodat"},  // arm64 has no chmod: glibc calls fchmodat
      {"notify_dead_task", {}, Outcome::kRefused, "openat"},
      {"notify_flood", {}, Outcome::kRefused, "openat"},
      {"listener_steal", {}, Outcome::kRefused, "seccomp"},
      {"stat_into_readonly", {}, Outcome::kRefused, ""},
      {"tty_deputy", {}, Outcome::kRefused, ""},
      {"dac_deputy", {}, Outcome::kRefused, ""},
      {"opath_upgrade", {}, Outcome::kRefused, ""},
      {"fifo_flood", {}, Outcome::kRefused, "openat"},
      // never host root: the ids map to an unprivileged range (root only: a file of host root's)
      {"host_root_file", {}, Outcome::kRefused, ""},
      {"host_root_file", {"bound"}, Outcome::kRefused, "", false, true},
      // unix sockets of host services inside the image's tree
      {"unix_connect", {image_socket("stream"), image_socket("dgram")}, Outcome::kRefused, "connect"},
  };
  return all;
}

// Host-side bait: a marker file outside the rootfs and two listening unix sockets.
class HostBait {
 public:
  HostBait() {
    std::ofstream(EW_HOST_MARKER) << "host file: unreachable from the sandbox\n";
    abstract_ = listen_on(abstract_name(), true);
    unlink(path_socket().c_str());
    path_ = listen_on(path_socket(), false);
    image_stream_ = listen_on(rootfs() + image_socket("stream"), false);
    image_dgram_ = bind_dgram(rootfs() + image_socket("dgram"));
  }
  ~HostBait() {
    for (int fd : {abstract_, path_, image_stream_, image_dgram_}) close(fd);
    unlink(path_socket().c_str());
    unlink((rootfs() + image_socket("stream")).c_str());
    unlink((rootfs() + image_socket("dgram")).c_str());
  }
  bool ok() const { return abstract_ >= 0 && path_ >= 0 && image_stream_ >= 0 && image_dgram_ >= 0; }

  // Whether anything from the sandbox reached a host socket (a pending connection or datagram).
  bool touched() const {
    for (int fd : {abstract_, path_, image_stream_}) {
      const int c = accept4(fd, nullptr, nullptr, SOCK_NONBLOCK);
      if (c >= 0) {
        close(c);
        return true;
      }
    }
    char b;
    return recv(image_dgram_, &b, 1, MSG_DONTWAIT) >= 0;
  }

 private:
  // Binds `s` to the path `path` however deep the build directory is: a path too long for
  // sun_path is reached through its directory's /proc/self/fd link.
  static int bind_path(int s, const std::string& path) {
    std::string name = path;
    UniqueFd dir;
    if (name.size() >= sizeof(sockaddr_un::sun_path)) {
      const size_t slash = path.rfind('/');
      dir.reset(open(path.substr(0, slash).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
      if (!dir.valid()) return -1;
      name = "/proc/self/fd/" + std::to_string(dir.get()) + path.substr(slash);
      if (name.size() >= sizeof(sockaddr_un::sun_path)) return -1;
    }
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::memcpy(a.sun_path, name.data(), name.size());
    return bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  static int bind_dgram(const std::string& path) {
    unlink(path.c_str());
    const int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (bind_path(s, path) != 0) {
      close(s);
      return -1;
    }
    return s;
  }
  static int listen_on(const std::string& name, bool abstract) {
    const int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int bound = -1;
    if (abstract && name.size() + 1 < sizeof(sockaddr_un::sun_path)) {
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      std::memcpy(a.sun_path + 1, name.data(), name.size());
      bound = bind(s, reinterpret_cast<sockaddr*>(&a), static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size()));
    } else if (!abstract) {
      unlink(name.c_str());
      bound = bind_path(s, name);
    }
    if (bound != 0 || listen(s, 8) != 0) {
      close(s);
      return -1;
    }
    return s;
  }
  int abstract_ = -1, path_ = -1, image_stream_ = -1, image_dgram_ = -1;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.program << (c.net_host ? " --net host" : ""); }

// A file of host root's, mode 0644, outside the rootfs; removed with the test.
class HostRootFile {
 public:
  HostRootFile() : path_("/tmp/edgeward-host-root-file-" + std::to_string(getpid())) {
    std::ofstream(path_) << "host root's\n";
    ok_ = chown(path_.c_str(), 0, 0) == 0 && chmod(path_.c_str(), 0644) == 0;
  }
  ~HostRootFile() { unlink(path_.c_str()); }
  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  std::string content() const {
    std::ifstream in(path_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string path_;
  bool ok_ = false;
};

// `no_new_privs` false: an OCI process with noNewPrivileges false (runc's default), whose
// filters are loaded with CAP_SYS_ADMIN of its user namespace instead (jail.cpp); every
// technique must fail the same way (setuid_exec is told not to expect no_new_privs).
void expect_escape_fails(const Case& c, bool no_new_privs) {
  HostBait bait;
  ASSERT_TRUE(bait.ok()) << "cannot set up the host-side bait";
  std::vector<std::string> argv{std::string("/hostile/") + c.program};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  if (!no_new_privs && std::string(c.program) == "setuid_exec") argv.push_back("no-nnp");
  SandboxConfig config;
  config.rootfs = rootfs();
  config.policy = test_policy();
  config.net_host = c.net_host;
  config.argv = argv;
  config.env = testing::stress_env();
  config.process.no_new_privs = no_new_privs;
  std::optional<HostRootFile> root_file;
  if (c.host_root_file) {
    if (geteuid() != 0) GTEST_SKIP() << "a file of host root's needs the test to run as root";
    root_file.emplace();
    ASSERT_TRUE(root_file->ok());
    config.mounts.push_back({"/host-root-file", "bind", root_file->path(), {"bind", "rw"}});
    config.policy.paths.push_back({"/host-root-file", Access::kWrite, "the escape battery: policy allows it"});
  }
  auto r = run_sandbox(config);
  if (root_file) EXPECT_EQ(root_file->content(), "host root's\n") << "the host root's file was changed";
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_FALSE(r->exited && r->exit_code == 3) << c.program << " ESCAPED";
  EXPECT_FALSE(bait.touched()) << c.program << " reached a host socket";
  if (c.outcome == Outcome::kRefused) {
    EXPECT_TRUE(r->exited) << c.program << " was killed by signal " << r->signal << " instead of being refused";
    EXPECT_EQ(r->exit_code, 0) << c.program;
  } else {
    EXPECT_FALSE(r->exited) << c.program << " exited with " << r->exit_code << " instead of being killed";
    if (c.outcome == Outcome::kKilledBySigsys) {
      EXPECT_EQ(r->signal, SIGSYS) << c.program;
    } else {
      EXPECT_TRUE(r->signal == SIGSYS || r->signal == SIGSEGV) << c.program << " killed by " << r->signal;
    }
  }
  if (*c.denied_syscall) {
    bool listed = false;
    const std::string names = std::string("|") + c.denied_syscall + "|";
    for (const auto& d : r->denials) listed |= names.find("|" + d.syscall + "|") != std::string::npos;
    EXPECT_TRUE(listed) << c.program << ": no " << c.denied_syscall << " denial in the report";
  }
}

class Escape : public ::testing::TestWithParam<Case> {};

TEST_P(Escape, Fails) {
  EW_SKIP_WITHOUT_SANDBOX();
  expect_escape_fails(GetParam(), true);
}

TEST_P(Escape, FailsWithoutNoNewPrivs) {
  EW_SKIP_WITHOUT_SANDBOX();
  expect_escape_fails(GetParam(), false);
}

INSTANTIATE_TEST_SUITE_P(Battery, Escape, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& i) {
                           return std::string(i.param.program) + (i.param.net_host ? "_net_host" : "") +
                                  (i.param.host_root_file ? "_bound" : "");
                         });

TEST(EscapeBattery, HasAtLeast40Programs) {
  std::set<std::string> programs;
  for (const auto& c : cases()) programs.insert(c.program);
  EXPECT_GE(programs.size(), 41u);
}

// Control: outside the sandbox these techniques work, and the programs say so (exit 3). This
// is what makes a passing battery mean something.
TEST(EscapeBattery, ProgramsDetectEscapesNatively) {
  EW_SKIP_WITHOUT_SANDBOX();
  if (geteuid() != 0) GTEST_SKIP() << "the native controls need root (they unshare and change personality)";
  // host_root_file: natively, root's uid_map maps 0 to host 0.
  for (const char* program : {"personality", "prctl_tricks", "unshare_setns", "memfd_exec", "host_root_file"}) {
    const std::string path = rootfs() + "/hostile/" + program;
    const pid_t p = fork();
    if (p == 0) {
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      execl(path.c_str(), program, "/bin/busybox", nullptr);
      _exit(99);
    }
    int status = 0;
    waitpid(p, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << program << " did not detect its native escape";
  }
}

}  // namespace
}  // namespace edgeward::sandbox
