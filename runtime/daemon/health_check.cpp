// The canary health check (see health_check.h).
#include "runtime/daemon/health_check.h"


#include <chrono>
#include <random>
#include <thread>

namespace edgeward::daemon {
namespace {

std::string canary_name() {
  static std::mt19937 rng(std::random_device{}());
  char name[32];
  std::snprintf(name, sizeof name, "ota-canary-%06x", static_cast<unsigned>(rng() & 0xffffff));
  return name;
}

int64_t ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

HealthReport check_health(const ApiCall& call, const HealthCheckOptions& o) {
  HealthReport report;
  auto fail = [&](std::string why) {
    report.failure = std::move(why);
    return report;
  };
  auto ps = call(Request{.op = Op::kPs});
  if (!ps) return fail("the daemon's API does not answer: " + ps.error().message);
  report.passed.push_back("the daemon's API answers (" + std::to_string(ps->workloads.size()) + " workloads)");
  if (o.canary_image.empty()) {
    return fail("no canary image configured (--canary IMAGE, or <ota state>/canary.ewi): the update cannot prove itself");
  }

  const std::string name = canary_name();
  const auto t0 = std::chrono::steady_clock::now();
  auto run = call(Request{.op = Op::kRun, .name = name, .image = o.canary_image, .backend = o.backend, .restart = "no"});
  if (!run) return fail("the canary " + o.canary_image + " did not start: " + run.error().message);
  struct Remove {  // whatever happens next, the canary does not stay
    const ApiCall& call;
    const std::string& name;
    ~Remove() { (void)call(Request{.op = Op::kRm, .name = name, .force = true}); }
  } remove{call, name};
  const std::string backend = run->workloads.empty() ? "?" : run->workloads[0].backend;

  for (;;) {
    auto info = call(Request{.op = Op::kInspect, .name = name});
    if (!info) return fail("the canary " + name + " vanished: " + info.error().message);
    if (info->workloads.empty()) return fail("the daemon did not describe the canary " + name);
    const WorkloadInfo& w = info->workloads[0];
    if (w.status == "exited" || w.status == "stopped") {
      report.canary_ms = ms_since(t0);
      if (!w.has_exit) return fail("the canary " + name + " ended without an exit status");
      if (w.exit_status != 0) {
        return fail("the canary " + o.canary_image + " exited with status " + std::to_string(w.exit_status) +
                    " (its log: " + w.log_path + ")");
      }
      report.passed.push_back("the canary " + o.canary_image + " exited 0 in " + std::to_string(report.canary_ms) +
                              " ms (" + backend + " backend)");
      report.healthy = true;
      return report;
    }
    if (ms_since(t0) > static_cast<int64_t>(o.timeout_s) * 1000) {
      return fail("the canary " + o.canary_image + " was still " + w.status + " after " + std::to_string(o.timeout_s) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(o.poll_ms));
  }
}

}  // namespace edgeward::daemon
