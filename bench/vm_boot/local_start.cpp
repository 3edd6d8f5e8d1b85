// bench/vm_boot local part: on this machine's /dev/kvm, starts `edgeward vm run` with a tiny
// guest N times and measures (1) process start -> first guest output byte (the guest's first
// instructions print it), (2) the VMM's resident memory minus the guest RAM it touched.
// Usage: vm_boot_local EDGEWARD_BINARY GUEST_BIN [RUNS]
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Resident KiB of the whole process and of its guest-RAM mapping (the 64 MiB anonymous one).
std::pair<long, long> rss_kib(pid_t pid) {
  long total = 0;
  {
    std::ifstream st("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(st, line);) {
      if (line.rfind("VmRSS:", 0) == 0) total = std::stol(line.substr(6));
    }
  }
  long guest = 0;
  std::ifstream sm("/proc/" + std::to_string(pid) + "/smaps");
  bool in_guest = false;
  for (std::string line; std::getline(sm, line);) {
    if (line.find('-') != std::string::npos && line.find(' ') != std::string::npos && std::isxdigit(line[0])) {
      unsigned long lo = 0, hi = 0;
      std::sscanf(line.c_str(), "%lx-%lx", &lo, &hi);
      in_guest = (hi - lo) == (64ul << 20);
    } else if (in_guest && line.rfind("Rss:", 0) == 0) {
      guest += std::stol(line.substr(4));
    }
  }
  return {total, guest};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s EDGEWARD GUEST_BIN [RUNS]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 3 ? std::atoi(argv[3]) : 20;
  std::vector<double> start_ms, overhead_kib;
  for (int i = 0; i < runs; ++i) {
    int out[2];
    if (::pipe(out) != 0) return 1;
    const auto t0 = Clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::execl(argv[1], argv[1], "vm", "run", "--kernel", argv[2], "--mem", "64M", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    char c;
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1 || ::read(out[0], &c, 1) != 1) {
      std::fprintf(stderr, "run %d: no guest output\n", i);
      return 1;
    }
    start_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    ::usleep(50000);  // let the guest settle in its spin loop
    const auto [total, guest] = rss_kib(pid);
    overhead_kib.push_back(static_cast<double>(total - guest));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(out[0]);
  }
  const double start = median(start_ms), overhead = median(overhead_kib) / 1024.0;
  std::printf("vm_boot (local /dev/kvm, tiny guest, %d runs, medians)\n", runs);
  std::printf("  process start -> first guest output: %.2f ms   (goal <= 5 ms: %s)\n", start, start <= 5 ? "met" : "NOT met");
  std::printf("  VMM RSS minus guest pages touched:   %.2f MiB  (goal <= 3 MiB: %s)\n", overhead,
              overhead <= 3 ? "met" : "NOT met");
  return 0;
}
