// ew-boottime: runs a VMM and measures the time from its process start to the guest's init
// marker, for bench/vm_boot. Used inside the emulated test host, so it is static and tiny.
//
//   ew-boottime [-t SECONDS] [-v] [-m MIB] MARKER -- COMMAND [ARGS...]
//
// Starts COMMAND with stdout+stderr on a pipe, reads it until a line contains MARKER, then keeps
// draining until COMMAND exits. Prints one line:
//   ew-boottime: marker_ns=<ns or -1> total_ns=<ns> exit=<COMMAND's exit code or 128+signal>
// Exit status 0 when the marker was seen and COMMAND exited 0, 1 otherwise (the output's tail is
// then copied to stderr), 2 on bad usage. -v copies all of COMMAND's output to stderr. After
// SECONDS (default 60) without COMMAND exiting, it is killed.
// -m MIB first faults in and frees MIB of anonymous memory, untimed: in the emulated test host,
// pages an earlier VM used cost ~5x more to fault in again (TCG's handling of stale translated
// code), and the next VM gets exactly those pages; this hands it pages that are clean again.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

long long now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

int usage() {
  std::fprintf(stderr, "usage: ew-boottime [-t SECONDS] [-v] [-m MIB] MARKER -- COMMAND [ARGS...]\n");
  return 2;
}

struct Options {
  int timeout_s = 60;
  bool verbose = false;
  long clean_mib = 0;
  std::string marker;
  std::vector<char*> command;  // null-terminated for execvp
};

bool parse(int argc, char** argv, Options& o) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && std::string_view(argv[i]) != "--"; ++i) {
    std::string_view a = argv[i];
    if (a == "-v") {
      o.verbose = true;
    } else if (a == "-m" && i + 1 < argc) {
      o.clean_mib = std::atol(argv[++i]);
      if (o.clean_mib <= 0) return false;
    } else if (a == "-t" && i + 1 < argc) {
      o.timeout_s = std::atoi(argv[++i]);
      if (o.timeout_s <= 0) return false;
    } else {
      return false;
    }
  }
  if (i + 2 >= argc || std::string_view(argv[i + 1]) != "--") return false;
  o.marker = argv[i];
  for (i += 2; i < argc; ++i) o.command.push_back(argv[i]);
  o.command.push_back(nullptr);
  return !o.marker.empty();
}

// Faults in `mib` MiB of anonymous memory (the kernel zeroes each page), then frees it.
bool touch_memory(long mib) {
  const size_t len = static_cast<size_t>(mib) << 20;
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "ew-boottime: -m %ld: %s\n", mib, std::strerror(errno));
    return false;
  }
  auto* bytes = static_cast<volatile char*>(p);
  for (size_t off = 0; off < len; off += 4096) bytes[off] = 1;
  munmap(p, len);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return usage();
  if (o.clean_mib > 0 && !touch_memory(o.clean_mib)) return 1;

  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    std::fprintf(stderr, "ew-boottime: pipe: %s\n", std::strerror(errno));
    return 1;
  }
  Fd rd(p[0]), wr(p[1]);
  const long long start = now_ns();
  pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "ew-boottime: fork: %s\n", std::strerror(errno));
    return 1;
  }
  if (pid == 0) {
    dup2(wr.get(), STDOUT_FILENO);
    dup2(wr.get(), STDERR_FILENO);
    execvp(o.command[0], o.command.data());
    std::fprintf(stderr, "ew-boottime: cannot run %s: %s\n", o.command[0], std::strerror(errno));
    _exit(127);
  }
  wr.reset();

  long long marker_ns = -1;
  std::string window;  // unmatched tail, for markers split across reads and for error reports
  const long long deadline = start + o.timeout_s * 1'000'000'000LL;
  bool timed_out = false;
  char buf[4096];
  for (;;) {
    long long left_ms = (deadline - now_ns()) / 1'000'000;
    if (left_ms <= 0) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd pfd{rd.get(), POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>(left_ms));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    ssize_t n = read(rd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: COMMAND (and whatever inherited its stdout) is gone
    if (o.verbose) (void)!write(STDERR_FILENO, buf, static_cast<size_t>(n));
    window.append(buf, static_cast<size_t>(n));
    if (marker_ns < 0 && window.find(o.marker) != std::string::npos) marker_ns = now_ns() - start;
    if (window.size() > 8192) window.erase(0, window.size() - 4096);
  }

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const long long total_ns = now_ns() - start;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::printf("ew-boottime: marker_ns=%lld total_ns=%lld exit=%d\n", marker_ns, total_ns, code);
  std::fflush(stdout);
  if (marker_ns >= 0 && code == 0) return 0;
  std::fprintf(stderr, "ew-boottime: %s%s; last output:\n%s\n",
               timed_out ? "timed out, killed it" : "command failed",
               marker_ns < 0 ? (" before printing '" + o.marker + "'").c_str() : "", window.c_str());
  return 1;
}
