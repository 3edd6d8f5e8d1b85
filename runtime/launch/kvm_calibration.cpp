#include "runtime/launch/kvm_calibration.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "attest/fileio.h"
#include "common/text/file_text.h"
#include "common/text/scanner.h"
#include "common/child_wait.h"
#include "common/unique_fd.h"
#include "runtime/launch/arch/calibration_guest.h"

namespace edgeward::launch {
namespace {

// What the child writes to the pipe: fixed layout, no allocation needed to read it.
struct Report {
  int32_t usable = 0;
  uint64_t loop_ns = 0;
  char reason[512] = {};  // whole messages: a cut one once read "...: N"
};

uint64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

void set_reason(Report& r, const std::string& s) { std::snprintf(r.reason, sizeof r.reason, "%s", s.c_str()); }

// Runs in the child: builds the VM and times the loop between the two exits.
Report measure(uint32_t iterations, const char* kvm_path) {
  Report r;
  auto kvm = vmm::Kvm::open(kvm_path);
  if (!kvm) return set_reason(r, kvm.error().message), r;
  auto vm = vmm::Vm::create(*kvm);
  if (!vm) return set_reason(r, vm.error().message), r;
  void* mem = ::mmap(nullptr, kCalibrationMemBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return set_reason(r, "mmap of guest memory failed"), r;
  if (auto st = vm->set_user_memory(0, 0, kCalibrationMemBytes, mem); !st) return set_reason(r, st.error().message), r;
  auto vcpu = vmm::Vcpu::create(*kvm, *vm, 0);
  if (!vcpu) return set_reason(r, vcpu.error().message), r;
  std::span<uint8_t> m(static_cast<uint8_t*>(mem), kCalibrationMemBytes);
  if (auto st = load_calibration_guest(*kvm, *vm, *vcpu, m, iterations); !st) return set_reason(r, st.error().message), r;
  uint64_t t[2] = {};
  for (uint64_t& ti : t) {
    auto exit = vcpu->run();
    ti = now_ns();
    if (!exit) return set_reason(r, exit.error().message), r;
    if (exit->kind != vmm::VcpuExit::Kind::kIo && exit->kind != vmm::VcpuExit::Kind::kMmio) {
      return set_reason(r, "calibration guest stopped unexpectedly (exit reason " + std::to_string(exit->reason) + ")"), r;
    }
  }
  r.usable = 1;
  r.loop_ns = t[1] - t[0];
  return r;
}

std::string first_line_with(const std::string& path, const std::string& key) {
  text::Scanner in(text::read_file(path, 1 << 20).value_or(""));
  for (std::string line; getline(in, line);) {
    if (line.rfind(key, 0) == 0) return line.substr(line.find(':') == std::string::npos ? 0 : line.find(':') + 1);
  }
  return "";
}

}  // namespace

KvmVerdict classify(const CalibrationSample& s, const CalibrationLimits& limits) {
  if (s.timed_out) {
    return {false, "KVM is slow: the " + std::to_string(limits.hard_cap.count()) +
                       " ms calibration guest did not finish in time (software-emulated KVM?)"};
  }
  if (!s.kvm_usable || !s.loop_ns) return {false, "KVM is not usable: " + s.unusable_reason};
  const double ms = static_cast<double>(*s.loop_ns) / 1e6;
  char fig[64];
  std::snprintf(fig, sizeof fig, "%.2f ms for %u guest loop iterations", ms, s.iterations);
  if (*s.loop_ns >= limits.fast_below_ns) {
    return {false, std::string("KVM is slow: ") + fig + " (limit " + std::to_string(limits.fast_below_ns / 1000000) +
                       " ms; software-emulated KVM?)"};
  }
  return {true, std::string("KVM is fast: ") + fig};
}

CalibrationSample run_calibration(const CalibrationLimits& limits, const char* kvm_path) {
  CalibrationSample s;
  s.iterations = limits.iterations;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return s.unusable_reason = "pipe failed", s;
  UniqueFd rd(p[0]), wr(p[1]);
  const pid_t child = ::fork();
  if (child < 0) return s.unusable_reason = "fork failed", s;
  if (child == 0) {
    rd.reset();
    const Report r = measure(limits.iterations, kvm_path);
    (void)!::write(wr.get(), &r, sizeof r);
    ::_exit(0);
  }
  wr.reset();
  pollfd pfd{rd.get(), POLLIN, 0};
  const int ready = ::poll(&pfd, 1, static_cast<int>(limits.hard_cap.count()));
  Report r;
  if (ready == 1 && ::read(rd.get(), &r, sizeof r) == static_cast<ssize_t>(sizeof r)) {
    s.kvm_usable = r.usable != 0;
    s.unusable_reason.assign(r.reason, strnlen(r.reason, sizeof r.reason));
    if (s.kvm_usable) s.loop_ns = r.loop_ns;
  } else {
    s.timed_out = ready == 0;
    if (!s.timed_out) s.unusable_reason = "the calibration process died";
  }
  kill_and_reap(child);
  return s;
}

std::string host_key() {
  utsname u{};
  ::uname(&u);
  std::string cpu = first_line_with("/proc/cpuinfo", "model name");
  if (cpu.empty()) cpu = first_line_with("/proc/cpuinfo", "CPU part");
  return std::string(u.release) + " " + u.machine + " cpu" + cpu;
}

// The cache is three lines: "key=<host key>", "fast=0|1", "reason=<text>".
KvmVerdict kvm_verdict(const std::string& state_dir, const CalibrationLimits& limits) {
  const std::string path = state_dir + "/kvm-calibration";
  const std::string key = host_key();
  if (auto text = attest::read_text_file(path, 4096)) {
    text::Scanner in(*text);
    std::string k, f, r;
    if (getline(in, k) && getline(in, f) && getline(in, r) && k == "key=" + key &&
        (f == "fast=0" || f == "fast=1") && r.rfind("reason=", 0) == 0) {
      return {f == "fast=1", r.substr(7) + " (cached)"};
    }
  }
  const CalibrationSample s = run_calibration(limits);
  const KvmVerdict v = classify(s, limits);
  if (s.kvm_usable || s.timed_out) {  // "no /dev/kvm" may change without a new kernel: not cached
    (void)attest::write_file_atomic(path, "key=" + key + "\nfast=" + (v.fast ? "1" : "0") + "\nreason=" + v.reason + "\n",
                                    0644);
  }
  return v;
}

}  // namespace edgeward::launch
