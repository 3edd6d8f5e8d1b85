#include "runtime/oci/control_json.h"

#include <nlohmann/json.hpp>

namespace edgeward::oci {
namespace {

using ojson = nlohmann::ordered_json;

}  // namespace

std::string pids_json(const std::vector<pid_t>& pids) { return ojson(pids).dump() + "\n"; }

std::string stats_event_json(const std::string& id, const runtime::CgroupStats& s) {
  ojson raw = ojson::object();
  for (const auto& [k, v] : s.memory_raw) raw[k] = v;
  ojson cpu = {{"usage", {{"total", s.cpu_total_ns}, {"percpu", s.cpu_percpu_ns}, {"kernel", s.cpu_kernel_ns}, {"user", s.cpu_user_ns}}},
               {"throttling", {{"periods", s.periods}, {"throttledPeriods", s.throttled_periods}, {"throttledTime", s.throttled_time_ns}}}};
  ojson memory = {{"cache", s.memory_cache},
                  {"usage", {{"limit", s.memory_limit}, {"usage", s.memory_usage}, {"max", s.memory_max_usage}, {"failcnt", s.memory_failcnt}}},
                  {"raw", raw}};
  ojson data = {{"cpu", cpu}, {"memory", memory}, {"pids", {{"current", s.pids_current}, {"limit", s.pids_limit}}},
                {"blkio", ojson::object()}, {"hugetlb", ojson::object()}};
  return ojson{{"type", "stats"}, {"id", id}, {"data", data}}.dump() + "\n";
}

}  // namespace edgeward::oci
