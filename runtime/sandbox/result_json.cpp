#include "runtime/sandbox/result_json.h"

#include <string.h>

#include "common/text/writer.h"

namespace edgeward::sandbox {
namespace {

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

}  // namespace

nlohmann::ordered_json result_json(const RunResult& r) {
  nlohmann::ordered_json j;
  j["exited"] = r.exited;
  if (r.exited) {
    j["exit_code"] = r.exit_code;
  } else {
    j["signal"] = r.signal;
    j["signal_name"] = sigabbrev_np(r.signal) ? std::string("SIG") + sigabbrev_np(r.signal) : std::to_string(r.signal);
  }
  j["wall_seconds"] = r.wall_seconds;
  j["rusage"] = {{"user_seconds", seconds(r.usage.ru_utime)},
                 {"system_seconds", seconds(r.usage.ru_stime)},
                 {"max_rss_kib", r.usage.ru_maxrss},
                 {"minor_faults", r.usage.ru_minflt},
                 {"major_faults", r.usage.ru_majflt},
                 {"voluntary_switches", r.usage.ru_nvcsw},
                 {"involuntary_switches", r.usage.ru_nivcsw}};
  j["cgroup"] = {{"mode", r.cgroup_mode}, {"peak_memory_bytes", r.peak_memory}, {"oom_killed", r.oom_killed}};
  if (!r.cgroup_note.empty()) j["cgroup"]["note"] = r.cgroup_note;
  j["traced_calls"] = r.traced_calls;
  j["notified_calls"] = r.notified_calls;
  j["inspection"] = r.user_notify ? "seccomp-notify+ptrace" : "ptrace";
  j["denied_total"] = r.denials_total;
  nlohmann::ordered_json denied = nlohmann::ordered_json::array();
  for (const auto& d : r.denials) {
    denied.push_back({{"pid", d.pid}, {"syscall", d.syscall}, {"detail", d.detail}, {"outcome", d.outcome}});
  }
  j["denied"] = denied;
  return j;
}

std::string result_summary(const RunResult& r) {
  text::Writer s;
  s << "sandbox: ";
  if (r.exited) {
    s << "exited with status " << r.exit_code;
  } else {
    const char* name = sigabbrev_np(r.signal);
    s << "killed by signal " << r.signal << (name ? std::string(" (SIG") + name + ")" : "");
  }
  s << "; wall " << r.wall_seconds << " s, user " << seconds(r.usage.ru_utime) << " s, sys "
    << seconds(r.usage.ru_stime) << " s, max rss " << r.usage.ru_maxrss << " KiB; " << r.traced_calls
    << " calls inspected, " << r.denials_total << " denied\n";
  if (r.cgroup_mode == "none") s << "sandbox: no cgroup limits (" << r.cgroup_note << "); rlimits only\n";
  if (r.oom_killed) s << "sandbox: the memory limit was hit (OOM kill)\n";
  for (const auto& d : r.denials) {
    s << "  denied: pid " << d.pid << " " << d.syscall << (d.detail.empty() ? "" : " " + d.detail) << " -> "
      << d.outcome << "\n";
  }
  return s.str();
}

}  // namespace edgeward::sandbox
