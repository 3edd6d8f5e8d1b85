// bench/vm_boot local part: on this machine's /dev/kvm, starts `edgeward vm run` with a tiny
// guest N times and measures (1) process start -> first guest output byte (the guest's first
// instructions print it), (2) the VMM's resident memory minus the guest RAM it touched; then N
// more runs with `--trace-startup` give (3) the median time of each start-up step, measured from
// this program's fork of the VMM (the trace's monotonic stamps against our own clock).
// Usage: vm_boot_local EDGEWARD_BINARY GUEST_BIN [RUNS]
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Resident KiB of the whole process and of its guest RAM: the 64 MiB at a 2 MiB-aligned address,
// which may be several adjacent mappings (the kernel file mapped over it, the device tree's block
// with small pages), so the run of adjacent mappings that starts aligned and adds up to 64 MiB.
std::pair<long, long> rss_kib(pid_t pid) {
  long total = 0;
  {
    std::ifstream st("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(st, line);) {
      if (line.rfind("VmRSS:", 0) == 0) total = std::stol(line.substr(6));
    }
  }
  struct Vma {
    unsigned long lo, hi;
    long rss;
  };
  std::vector<Vma> vmas;
  std::ifstream sm("/proc/" + std::to_string(pid) + "/smaps");
  for (std::string line; std::getline(sm, line);) {
    unsigned long lo = 0, hi = 0;
    if (std::isxdigit(static_cast<unsigned char>(line[0])) && std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 &&
        line.find(':') > line.find(' ')) {
      vmas.push_back({lo, hi, 0});
    } else if (!vmas.empty() && line.rfind("Rss:", 0) == 0) {
      vmas.back().rss += std::stol(line.substr(4));
    }
  }
  constexpr unsigned long kGuest = 64ul << 20, kAlign = 2ul << 20;
  for (size_t i = 0; i < vmas.size(); ++i) {
    if (vmas[i].lo % kAlign != 0) continue;
    long guest = 0;
    for (size_t j = i; j < vmas.size() && (j == i || vmas[j].lo == vmas[j - 1].hi); ++j) {
      guest += vmas[j].rss;
      if (vmas[j].hi - vmas[i].lo == kGuest) return {total, guest};
      if (vmas[j].hi - vmas[i].lo > kGuest) break;
    }
  }
  return {total, 0};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

long long mono_ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// One traced run: the VMM's stderr until the boot vCPU's first exit; appends each step's offset
// from our fork (ms) to `steps` and remembers the order steps first appeared in.
bool traced_run(const char* edgeward, const char* guest, std::map<std::string, std::vector<double>>& steps,
                std::vector<std::string>& order) {
  int out[2], err[2];
  if (::pipe(out) != 0 || ::pipe(err) != 0) return false;
  const auto t0 = Clock::now();  // steady_clock is CLOCK_MONOTONIC, the trace's clock
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execl(edgeward, edgeward, "vm", "run", "--kernel", guest, "--mem", "64M", "--trace-startup", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  std::string text;
  bool done = false;
  while (!done) {
    pollfd p{err[0], POLLIN, 0};
    char buf[4096];
    if (::poll(&p, 1, 10000) != 1) break;
    const ssize_t n = ::read(err[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    done = text.find("boot vCPU's first exit") != std::string::npos;
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(out[0]);
  ::close(err[0]);
  if (!done) {
    std::fprintf(stderr, "traced run: no first exit in the trace:\n%s\n", text.c_str());
    return false;
  }
  // "edgeward: startup: <from start> ms <from main> ms  <step>   monotonic <ns>"
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    double from_start = 0, from_main = 0;
    int at = 0;
    const size_t mono = line.rfind(" monotonic ");
    if (std::sscanf(line.c_str(), "edgeward: startup: %lf ms %lf ms %n", &from_start, &from_main, &at) != 2 || at == 0 ||
        mono == std::string::npos || mono < static_cast<size_t>(at)) {
      continue;
    }
    std::string step = line.substr(static_cast<size_t>(at), mono - static_cast<size_t>(at));
    step.erase(step.find_last_not_of(' ') + 1);
    const double ms = static_cast<double>(std::stoll(line.substr(mono + 11)) - mono_ns(t0)) / 1e6;
    if (!steps.count(step)) order.push_back(step);
    steps[step].push_back(ms);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s EDGEWARD GUEST_BIN [RUNS]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 3 ? std::atoi(argv[3]) : 20;
  std::vector<double> start_ms, overhead_kib;
  std::printf("vm_boot (local /dev/kvm, tiny guest, %d runs): process start -> first guest output, each run (ms):", runs);
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
    std::printf(" %.1f", start_ms.back());
    ::usleep(50000);  // let the guest settle in its spin loop
    const auto [total, guest] = rss_kib(pid);
    overhead_kib.push_back(static_cast<double>(total - guest));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(out[0]);
  }
  const double start = median(start_ms), overhead = median(overhead_kib) / 1024.0;
  std::printf("\nvm_boot (local /dev/kvm, tiny guest, %d runs, medians)\n", runs);
  std::printf("  process start -> first guest output: %.2f ms   (goal <= 5 ms: %s; fastest run %.2f ms)\n", start,
              start <= 5 ? "met" : "NOT met", *std::min_element(start_ms.begin(), start_ms.end()));
  std::printf("  VMM RSS minus guest pages touched:   %.2f MiB  (goal <= 3 MiB: %s)\n", overhead,
              overhead <= 3 ? "met" : "NOT met");

  std::map<std::string, std::vector<double>> steps;
  std::vector<std::string> order;
  for (int i = 0; i < runs; ++i) {
    if (!traced_run(argv[1], argv[2], steps, order)) return 1;
  }
  std::printf("  start-up steps (edgeward vm run --trace-startup, %d more runs): median ms after our fork of the VMM, "
              "the difference to the step before, and the fastest and slowest run of the step itself\n", runs);
  double prev = 0;
  std::string prev_step;
  for (const std::string& step : order) {
    const double at = median(steps[step]);
    if (step == "process start (fork)") {  // the VMM's own estimate of our fork (should be ~0)
      std::printf("  %9.2f ms            (the trace's estimate of the process start)\n", at);
      continue;
    }
    // The step's own duration in each run: its time minus the previous step's time in that run.
    std::vector<double> own;
    const std::vector<double>& now = steps[step];
    const std::vector<double>* before = prev_step.empty() ? nullptr : &steps[prev_step];
    for (size_t r = 0; r < now.size(); ++r) own.push_back(now[r] - (before && r < before->size() ? (*before)[r] : 0));
    std::sort(own.begin(), own.end());
    std::printf("  %9.2f ms  %+8.2f ms  (%6.2f..%7.2f)  %s\n", at, at - prev, own.front(), own.back(), step.c_str());
    prev = at;
    prev_step = step;
  }
  return 0;
}
