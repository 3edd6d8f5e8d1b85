#include "runtime/container/container_cgroups.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "common/errno_error.h"
#include "common/text/file_text.h"
#include "common/text/scanner.h"
#include "common/unique_fd.h"

namespace edgeward::runtime {
namespace {

constexpr auto kFreezeTimeout = std::chrono::seconds(5);

// Small control files only (a cgroup file is at most a few KiB; memory.stat is the largest).
std::optional<std::string> read_small(const std::string& path) {
  return text::read_file(path, 16384);
}

uint64_t read_u64(const std::string& path) {
  auto text = read_small(path);
  if (!text || text->rfind("max", 0) == 0) return 0;
  return std::strtoull(text->c_str(), nullptr, 10);
}

// "key value" lines (memory.stat, cpu.stat, cpuacct.stat).
std::vector<std::pair<std::string, uint64_t>> read_keyed(const std::string& path) {
  std::vector<std::pair<std::string, uint64_t>> out;
  text::Scanner in(read_small(path).value_or(""));
  std::string key;
  uint64_t value = 0;
  while (in >> key >> value) out.emplace_back(key, value);
  return out;
}

uint64_t keyed(const std::vector<std::pair<std::string, uint64_t>>& kv, std::string_view key) {
  for (const auto& [k, v] : kv) {
    if (k == key) return v;
  }
  return 0;
}

Status write_value(const std::string& path, const std::string& value) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return errno_error("open " + path);
  if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
    return errno_error("write \"" + value + "\" to " + path);
  }
  return {};
}

std::vector<pid_t> read_procs(const std::string& dir) {
  std::vector<pid_t> pids;
  text::Scanner in(read_small(dir + "/cgroup.procs").value_or(""));
  for (pid_t p; in >> p;) pids.push_back(p);
  std::sort(pids.begin(), pids.end());
  return pids;
}

bool has_option(const std::string& options, std::string_view word) {
  text::Scanner in(options);
  for (std::string o; getline(in, o, ',');) {
    if (o == word) return true;
  }
  return false;
}

// Waits until `path` reads as `want` (a freezer's state settling).
Status await_file(const std::string& path, std::string_view want) {
  const auto deadline = std::chrono::steady_clock::now() + kFreezeTimeout;
  for (;;) {
    if (read_small(path).value_or("").find(want) != std::string::npos) return {};
    if (std::chrono::steady_clock::now() > deadline) {
      return Error::io(path + " did not become \"" + std::string(want) + "\" within 5 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// One line of /proc/PID/cgroup, "ID:CONTROLLERS:PATH" (CONTROLLERS empty for cgroup2).
struct Membership {
  std::string controllers, path;
};
std::optional<Membership> parse_membership(const std::string& line) {
  const auto a = line.find(':'), b = line.find(':', a + 1);
  if (a == std::string::npos || b == std::string::npos) return std::nullopt;
  return Membership{line.substr(a + 1, b - a - 1), line.substr(b + 1)};
}

// The calling process's group of the pids hierarchy (v1) or of cgroup2 ("" when unknown).
std::string own_group(bool v2) {
  text::Scanner in(read_small("/proc/self/cgroup").value_or(""));
  for (std::string line; getline(in, line);) {
    const auto m = parse_membership(line);
    if (m && (v2 ? m->controllers.empty() : has_option(m->controllers, "pids"))) return m->path;
  }
  return "";
}

// A container's group is a leaf made for it: the runtime calling this is never in it. A group
// that holds the caller (the process is still, or again, in its parent's group — e.g. the
// shim's, with every other process of that service) is not the container's to signal or freeze.
Status refuse_shared(pid_t pid, const std::string& group, bool v2) {
  const std::string own = own_group(v2);
  const bool holds_us = group == "/" || own == group || own.rfind(group + "/", 0) == 0;
  if (!holds_us) return {};
  return Error::unsupported("process " + std::to_string(pid) + " is in no cgroup of its own (" + group +
                            " also holds this runtime): refusing to act on that group");
}

}  // namespace

Result<ContainerCgroups> ContainerCgroups::of(pid_t pid) {
  auto membership = read_small("/proc/" + std::to_string(pid) + "/cgroup");
  if (!membership) return Error::not_found("process " + std::to_string(pid) + " does not exist (any more)");
  std::map<std::string, std::string> mount_of;  // controller (or "" for cgroup2) -> mount point
  text::Scanner mounts(text::read_file("/proc/self/mounts", 1 << 20).value_or(""));
  for (std::string line; getline(mounts, line);) {
    text::Scanner f(line);
    std::string dev, dir, type, options;
    f >> dev >> dir >> type >> options;
    if (type == "cgroup2") mount_of.emplace("", dir);
    if (type != "cgroup") continue;
    for (const char* c : {"memory", "pids", "cpu", "cpuacct", "freezer"}) {
      if (has_option(options, c)) mount_of.emplace(c, dir);
    }
  }
  ContainerCgroups g;
  std::string v2_path;
  text::Scanner in(*membership);
  for (std::string line; getline(in, line);) {
    const auto m = parse_membership(line);
    if (!m) continue;
    const std::string& controllers = m->controllers;
    const std::string& path = m->path;
    if (controllers.empty()) v2_path = path;
    for (auto [name, dir] : {std::pair{"memory", &g.memory_}, {"pids", &g.pids_}, {"cpu", &g.cpu_}, {"cpuacct", &g.cpuacct_}}) {
      if (has_option(controllers, name) && mount_of.count(name)) *dir = mount_of[name] + path;
      if (has_option(controllers, name) && std::string_view(name) == "pids") g.relative_ = path;
    }
    if (has_option(controllers, "freezer") && mount_of.count("freezer")) g.freezer_root_ = mount_of["freezer"];
  }
  // v1 when the sandbox's groups are there (memory or pids below a hierarchy's root), else v2.
  if (!g.relative_.empty() && g.relative_ != "/") {
    EW_TRY(refuse_shared(pid, g.relative_, false));
    return g;
  }
  if (!v2_path.empty() && mount_of.count("")) {
    EW_TRY(refuse_shared(pid, v2_path, true));
    ContainerCgroups v2;
    v2.v2_dir_ = mount_of[""] + v2_path;
    return v2;
  }
  return Error::unsupported("process " + std::to_string(pid) + " is in no cgroup edgeward can manage "
                            "(neither v1 memory/pids groups nor a cgroup2 group)");
}

Result<std::vector<pid_t>> ContainerCgroups::pids() const {
  const std::string& dir = v2() ? v2_dir_ : (pids_.empty() ? memory_ : pids_);
  if (dir.empty()) return Error::unsupported("the container has no pids or memory group to list processes from");
  return read_procs(dir);
}

Status ContainerCgroups::signal_all(int sig, pid_t except) const {
  if (v2() && sig == SIGKILL && except == 0 && access((v2_dir_ + "/cgroup.kill").c_str(), W_OK) == 0) {
    return write_value(v2_dir_ + "/cgroup.kill", "1");
  }
  std::vector<pid_t> signalled;
  for (int pass = 0; pass < 16; ++pass) {
    EW_ASSIGN(std::vector<pid_t> all, pids());
    bool found = false;
    for (pid_t p : all) {
      if (p == except || std::binary_search(signalled.begin(), signalled.end(), p)) continue;
      found = true;
      if (::kill(p, sig) != 0 && errno != ESRCH) return errno_error("signal process " + std::to_string(p) + " of the container");
      signalled.insert(std::upper_bound(signalled.begin(), signalled.end(), p), p);
    }
    if (!found) return {};
  }
  return Error::io("the container's processes kept forking while they were signalled");
}

Status ContainerCgroups::freeze(bool frozen) const {
  if (v2()) {
    EW_TRY(write_value(v2_dir_ + "/cgroup.freeze", frozen ? "1" : "0"));
    return await_file(v2_dir_ + "/cgroup.events", frozen ? "frozen 1" : "frozen 0");
  }
  if (freezer_root_.empty()) return Error::unsupported("no cgroup v1 freezer hierarchy is mounted: cannot pause");
  const std::string dir = freezer_root_ + relative_;
  if (!frozen) return write_value(dir + "/freezer.state", "THAWED");
  for (size_t i = 1; i <= dir.size(); ++i) {  // mkdir -p below the freezer's root
    if ((i == dir.size() || dir[i] == '/') && i > freezer_root_.size()) {
      if (mkdir(dir.substr(0, i).c_str(), 0755) != 0 && errno != EEXIST) return errno_error("create " + dir.substr(0, i));
    }
  }
  // Move every process in; one forked meanwhile is caught by the second pass (a task attached
  // to a frozen group is frozen on arrival).
  for (int pass = 0; pass < 2; ++pass) {
    EW_ASSIGN(std::vector<pid_t> all, pids());
    const std::vector<pid_t> in = read_procs(dir);
    for (pid_t p : all) {
      if (!std::binary_search(in.begin(), in.end(), p)) (void)write_value(dir + "/cgroup.procs", std::to_string(p));
    }
    if (pass == 0) EW_TRY(write_value(dir + "/freezer.state", "FROZEN"));
  }
  return await_file(dir + "/freezer.state", "FROZEN");
}

Result<CgroupStats> ContainerCgroups::stats() const {
  CgroupStats s;
  if (v2()) {
    const auto cpu = read_keyed(v2_dir_ + "/cpu.stat");
    s.cpu_total_ns = keyed(cpu, "usage_usec") * 1000;
    s.cpu_user_ns = keyed(cpu, "user_usec") * 1000;
    s.cpu_kernel_ns = keyed(cpu, "system_usec") * 1000;
    s.periods = keyed(cpu, "nr_periods");
    s.throttled_periods = keyed(cpu, "nr_throttled");
    s.throttled_time_ns = keyed(cpu, "throttled_usec") * 1000;
    s.memory_usage = read_u64(v2_dir_ + "/memory.current");
    s.memory_max_usage = read_u64(v2_dir_ + "/memory.peak");
    s.memory_limit = read_u64(v2_dir_ + "/memory.max");
    s.memory_failcnt = keyed(read_keyed(v2_dir_ + "/memory.events"), "max");
    s.memory_raw = read_keyed(v2_dir_ + "/memory.stat");
    s.memory_cache = keyed(s.memory_raw, "file");
    s.pids_current = read_u64(v2_dir_ + "/pids.current");
    s.pids_limit = read_u64(v2_dir_ + "/pids.max");
    return s;
  }
  if (!cpuacct_.empty()) {
    s.cpu_total_ns = read_u64(cpuacct_ + "/cpuacct.usage");
    text::Scanner per(read_small(cpuacct_ + "/cpuacct.usage_percpu").value_or(""));
    for (uint64_t v; per >> v;) s.cpu_percpu_ns.push_back(v);
    const auto ticks = read_keyed(cpuacct_ + "/cpuacct.stat");
    const uint64_t ns_per_tick = 1000000000ull / static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
    s.cpu_user_ns = keyed(ticks, "user") * ns_per_tick;
    s.cpu_kernel_ns = keyed(ticks, "system") * ns_per_tick;
  }
  if (!cpu_.empty()) {
    const auto cpu = read_keyed(cpu_ + "/cpu.stat");
    s.periods = keyed(cpu, "nr_periods");
    s.throttled_periods = keyed(cpu, "nr_throttled");
    s.throttled_time_ns = keyed(cpu, "throttled_time");
  }
  if (!memory_.empty()) {
    s.memory_usage = read_u64(memory_ + "/memory.usage_in_bytes");
    s.memory_max_usage = read_u64(memory_ + "/memory.max_usage_in_bytes");
    s.memory_limit = read_u64(memory_ + "/memory.limit_in_bytes");
    s.memory_failcnt = read_u64(memory_ + "/memory.failcnt");
    s.memory_raw = read_keyed(memory_ + "/memory.stat");
    s.memory_cache = keyed(s.memory_raw, "cache");
  }
  if (!pids_.empty()) {
    s.pids_current = read_u64(pids_ + "/pids.current");
    s.pids_limit = read_u64(pids_ + "/pids.max");
  }
  return s;
}

Status ContainerCgroups::update(const ResourceUpdate& u) const {
  const auto need = [](const std::string& dir, const char* what) -> Status {
    if (dir.empty()) return Error::unsupported(std::string("the container has no ") + what + " group to update");
    return {};
  };
  const auto limit = [](int64_t v) { return v <= 0 ? std::string(v == 0 ? "0" : "max") : std::to_string(v); };
  if (v2()) {
    if (u.memory_limit) EW_TRY(write_value(v2_dir_ + "/memory.max", limit(*u.memory_limit)));
    if (u.pids_limit) EW_TRY(write_value(v2_dir_ + "/pids.max", *u.pids_limit <= 0 ? "max" : std::to_string(*u.pids_limit)));
    if (u.cpu_shares) {  // runc's conversion of shares [2, 262144] to weight [1, 10000]
      const uint64_t shares = std::clamp<uint64_t>(*u.cpu_shares, 2, 262144);
      EW_TRY(write_value(v2_dir_ + "/cpu.weight", std::to_string(1 + ((shares - 2) * 9999) / 262142)));
    }
    if (u.cpu_quota || u.cpu_period) {
      text::Scanner cur(read_small(v2_dir_ + "/cpu.max").value_or("max 100000"));
      std::string quota, period;
      cur >> quota >> period;
      if (u.cpu_quota) quota = limit(*u.cpu_quota);
      if (u.cpu_period) period = std::to_string(*u.cpu_period);
      EW_TRY(write_value(v2_dir_ + "/cpu.max", quota + " " + period));
    }
    return {};
  }
  if (u.memory_limit) {
    EW_TRY(need(memory_, "memory"));
    EW_TRY(write_value(memory_ + "/memory.limit_in_bytes", std::to_string(*u.memory_limit <= 0 ? -1 : *u.memory_limit)));
  }
  if (u.pids_limit) {
    EW_TRY(need(pids_, "pids"));
    EW_TRY(write_value(pids_ + "/pids.max", *u.pids_limit <= 0 ? "max" : std::to_string(*u.pids_limit)));
  }
  if (u.cpu_shares || u.cpu_quota || u.cpu_period) EW_TRY(need(cpu_, "cpu"));
  if (u.cpu_shares) EW_TRY(write_value(cpu_ + "/cpu.shares", std::to_string(*u.cpu_shares)));
  if (u.cpu_period) EW_TRY(write_value(cpu_ + "/cpu.cfs_period_us", std::to_string(*u.cpu_period)));
  if (u.cpu_quota) EW_TRY(write_value(cpu_ + "/cpu.cfs_quota_us", std::to_string(*u.cpu_quota <= 0 ? -1 : *u.cpu_quota)));
  return {};
}

}  // namespace edgeward::runtime
