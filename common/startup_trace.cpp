#include "common/startup_trace.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace edgeward::startup_trace {
namespace {

struct Mark {
  const char* what;
  int index;
  int64_t ns;
};

int64_t now_ns(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Plain zero-initialised state (no constructors run before main).
std::atomic<bool> g_enabled{false};
int64_t g_main_ns = 0;
int64_t g_start_ns = 0;          // process start on CLOCK_MONOTONIC, 0 when unknown
const char* g_start_source = "";  // how g_start_ns was found
std::mutex g_mu;
Mark g_marks[kMaxMarks];
int g_count = 0;
int g_flushed = 0;

// Reads a small /proc file whole; empty on failure.
std::string read_small(const char* path) {
  std::string out;
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[1024];
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n > 0) out.assign(buf, static_cast<size_t>(n));
  return out;
}

// Process start from the CPU time since the fork plus the time spent waiting for a CPU
// (/proc/self/schedstat's second field): exact as long as the process has not slept.
bool start_from_schedstat() {
  const std::string s = read_small("/proc/self/schedstat");
  unsigned long long on_cpu = 0, waited = 0;
  if (std::sscanf(s.c_str(), "%llu %llu", &on_cpu, &waited) != 2) return false;
  const int64_t now = now_ns(CLOCK_MONOTONIC);
  // The scheduler's own run-time figure lags by up to a tick for the running task; the CPU-time
  // clock does not (one thread so far: the process's CPU time is this thread's).
  const int64_t cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID);
  g_start_ns = now - cpu - static_cast<int64_t>(waited);
  g_start_source = "on-CPU + runqueue time since fork (/proc/self/schedstat)";
  return true;
}

// Process start from /proc/self/stat (field 22: clock ticks after boot, CLOCK_BOOTTIME).
bool start_from_stat() {
  const std::string s = read_small("/proc/self/stat");
  const size_t paren = s.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return false;
  const char* p = s.c_str() + paren + 2;
  for (int field = 3; field < 22 && *p; ++field) {
    p = std::strchr(p, ' ');
    if (!p) return false;
    ++p;
  }
  char* end = nullptr;
  const unsigned long long ticks = std::strtoull(p, &end, 10);
  const long hz = ::sysconf(_SC_CLK_TCK);
  if (end == p || hz <= 0) return false;
  const int64_t boot_to_mono = now_ns(CLOCK_MONOTONIC) - now_ns(CLOCK_BOOTTIME);
  g_start_ns = static_cast<int64_t>(ticks * (1'000'000'000ull / static_cast<unsigned long long>(hz))) + boot_to_mono;
  g_start_source = "/proc/self/stat start time (10 ms ticks)";
  return true;
}

// snprintf at out[len], advancing len (truncating at the end of the buffer).
__attribute__((format(printf, 4, 5))) void appendf(char* out, size_t cap, size_t& len, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(out + len, cap - len, fmt, ap);
  va_end(ap);
  if (n > 0) len = std::min(cap - 1, len + static_cast<size_t>(n));
}

}  // namespace

void note_main() { g_main_ns = now_ns(CLOCK_MONOTONIC); }

void enable() {
  if (g_enabled.load(std::memory_order_relaxed)) return;
  if (!start_from_schedstat() && !start_from_stat()) g_start_source = "unknown";
  g_enabled.store(true, std::memory_order_release);
}

bool enabled() { return g_enabled.load(std::memory_order_relaxed); }

void mark(const char* what, int index) {
  if (!enabled()) return;
  const int64_t ns = now_ns(CLOCK_MONOTONIC);
  std::lock_guard lock(g_mu);
  if (g_count < kMaxMarks) g_marks[g_count++] = {what, index, ns};
}

void flush() {
  if (!enabled()) return;
  // A fixed buffer, no allocation: the boot vCPU flushes from inside its seccomp jail.
  static char out[(kMaxMarks + 3) * 160];
  std::lock_guard lock(g_mu);
  if (g_flushed == g_count) return;
  size_t len = 0;
  auto add = [&](const char* label, int index, int64_t ns) {
    const double from_start = g_start_ns ? static_cast<double>(ns - g_start_ns) / 1e6 : 0.0;
    const double from_main = static_cast<double>(ns - g_main_ns) / 1e6;
    char name[80];
    if (index >= 0) std::snprintf(name, sizeof name, "%s %d", label, index);
    else std::snprintf(name, sizeof name, "%s", label);
    appendf(out, sizeof out, len, "edgeward: startup: %9.3f ms %9.3f ms  %-44s monotonic %" PRId64 "\n", from_start, from_main, name, ns);
  };
  if (g_flushed == 0) {
    appendf(out, sizeof out, len, "edgeward: startup: columns: from process start (%s), from main(), step\n", g_start_source);
    if (g_start_ns) add("process start (fork)", -1, g_start_ns);
    add("main", -1, g_main_ns);
  }
  for (; g_flushed < g_count; ++g_flushed) add(g_marks[g_flushed].what, g_marks[g_flushed].index, g_marks[g_flushed].ns);
  size_t done = 0;
  while (done < len) {
    const ssize_t n = ::write(STDERR_FILENO, out + done, len - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace edgeward::startup_trace
