#include "runtime/sandbox/cgroup.h"

#include <dirent.h>
#include <mntent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/text/file_text.h"
#include "common/text/scanner.h"

namespace edgeward::sandbox {
namespace {

bool write_file(const std::string& path, const std::string& value) {
  return text::write_file(path, value);
}

std::string read_file(const std::string& path) {
  return text::read_file(path, 1 << 20).value_or("");
}

}  // namespace

CgroupMounts Cgroup::find_mounts() {
  CgroupMounts m;
  FILE* f = setmntent("/proc/self/mounts", "r");
  if (!f) return m;
  while (mntent* e = getmntent(f)) {
    const std::string type = e->mnt_type;
    if (type == "cgroup2" && m.v2.empty()) m.v2 = e->mnt_dir;
    if (type == "cgroup") {
      if (hasmntopt(e, "memory")) m.v1_memory = e->mnt_dir;
      if (hasmntopt(e, "pids")) m.v1_pids = e->mnt_dir;
      if (hasmntopt(e, "cpuset")) m.v1_cpuset = e->mnt_dir;
      if (hasmntopt(e, "cpu") || hasmntopt(e, "cpuacct")) m.v1_accounting.push_back(e->mnt_dir);
    }
  }
  endmntent(f);
  return m;
}

namespace {

bool has_word(const std::string& text, const std::string& word) {
  text::Scanner s(text);
  for (std::string w; s >> w;) {
    if (w == word) return true;
  }
  return false;
}

// Groups left by supervisors that were killed (their destructor never ran) are removed once
// their owner is gone; rmdir only succeeds on empty groups, so live sandboxes are never touched.
void remove_stale_groups(const std::string& parent) {
  DIR* d = opendir(parent.c_str());
  if (!d) return;
  constexpr std::string_view kPrefix = "edgeward-sandbox-";
  while (dirent* e = readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.substr(0, kPrefix.size()) != kPrefix) continue;
    const long owner = std::strtol(e->d_name + kPrefix.size(), nullptr, 10);
    if (owner > 0 && kill(static_cast<pid_t>(owner), 0) != 0 && errno == ESRCH) {
      rmdir((parent + "/" + e->d_name).c_str());
    }
  }
  closedir(d);
}

// mkdir -p of the parents of `dir` below `root` (they are kept); with v2 each one hands the
// memory and pids controllers down.
void make_parents(const std::string& root, const std::string& leaf, bool v2) {
  for (size_t slash = leaf.find('/'); slash != std::string::npos; slash = leaf.find('/', slash + 1)) {
    const std::string parent = root + "/" + leaf.substr(0, slash);
    mkdir(parent.c_str(), 0755);
    if (v2) write_file(parent + "/cgroup.subtree_control", "+memory +pids");
  }
}

}  // namespace

bool valid_cgroup_path(const std::string& path) {
  if (path.empty()) return true;
  text::Scanner s(path);
  for (std::string part; getline(s, part, '/');) {
    if (part == "." || part == "..") return false;
  }
  return path.find(':') == std::string::npos;  // systemd's "slice:prefix:name" form is not a path
}

Status join_groups_of(pid_t pid, pid_t like) {
  const CgroupMounts m = Cgroup::find_mounts();
  struct Target {
    std::string dir, controller;
    bool required;
  };
  std::vector<Target> targets = {{m.v1_memory, "memory", true}, {m.v1_pids, "pids", true}, {m.v1_cpuset, "cpuset", true}};
  for (const auto& dir : m.v1_accounting) {
    targets.push_back({dir, dir.find("cpuacct") != std::string::npos ? "cpuacct" : "cpu", false});
  }
  text::Scanner lines(read_file("/proc/" + std::to_string(like) + "/cgroup"));
  for (std::string line; getline(lines, line);) {  // "id:controller,controller:path"
    const size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = "," + line.substr(a + 1, b - a - 1) + ",";
    const std::string path = line.substr(b + 1);
    std::vector<Target> hits;
    if (controllers == ",," && !m.v2.empty() && path != "/") hits.push_back({m.v2, "", true});
    for (const auto& t : targets) {
      if (!t.dir.empty() && controllers.find("," + t.controller + ",") != std::string::npos) hits.push_back(t);
    }
    for (const auto& t : hits) {
      const std::string procs = t.dir + path + "/cgroup.procs";
      if (!write_file(procs, std::to_string(pid)) && t.required) {
        return Error::io("cannot move the entered process into " + procs + ": " + std::strerror(errno));
      }
    }
  }
  return {};
}

Cgroup::Cgroup(Cgroup&& o) noexcept
    : mode_(std::move(o.mode_)), why_none_(std::move(o.why_none_)), memory_dir_(std::move(o.memory_dir_)),
      pids_dir_(std::move(o.pids_dir_)), accounting_dirs_(std::move(o.accounting_dirs_)),
      cpuset_dir_(std::move(o.cpuset_dir_)), mounts_(std::move(o.mounts_)), leaf_(std::move(o.leaf_)),
      created_(std::move(o.created_)) {
  o.created_.clear();
}

Cgroup::~Cgroup() {
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) rmdir(it->c_str());
}

Cgroup Cgroup::create(uint64_t memory_bytes, uint64_t pids, const std::string& path) {
  return create_in(find_mounts(), memory_bytes, pids, path);
}

Cgroup Cgroup::create_in(const CgroupMounts& m, uint64_t memory_bytes, uint64_t pids, const std::string& path) {
  Cgroup cg;
  cg.mounts_ = m;
  static int serial = 0;
  std::string leaf = path;
  while (!leaf.empty() && leaf.front() == '/') leaf.erase(0, 1);
  while (!leaf.empty() && leaf.back() == '/') leaf.pop_back();
  if (leaf.empty() || !valid_cgroup_path(leaf)) {
    leaf = "edgeward-sandbox-" + std::to_string(getpid()) + "-" + std::to_string(serial++);
  }
  cg.leaf_ = leaf;
  const std::string mem = memory_bytes ? std::to_string(memory_bytes) : "max";
  const std::string pid_limit = pids ? std::to_string(pids) : "max";
  std::string tried;
  for (const auto& parent : {m.v2, m.v1_memory, m.v1_pids, m.v1_cpuset}) {
    if (!parent.empty()) remove_stale_groups(parent);
  }

  if (!m.v2.empty()) {
    const std::string ctl = read_file(m.v2 + "/cgroup.controllers");
    if (has_word(ctl, "memory") && has_word(ctl, "pids")) {
      write_file(m.v2 + "/cgroup.subtree_control", "+memory +pids");
      const std::string dir = m.v2 + "/" + leaf;
      make_parents(m.v2, leaf, true);
      if (mkdir(dir.c_str(), 0755) == 0) {
        cg.created_.push_back(dir);
        if (write_file(dir + "/memory.max", mem) && write_file(dir + "/pids.max", pid_limit)) {
          write_file(dir + "/memory.swap.max", "0");
          cg.mode_ = "v2";
          cg.memory_dir_ = cg.pids_dir_ = dir;
          return cg;
        }
      }
      tried += "cgroup v2 at " + m.v2 + " refused a new group or its limits (" + std::strerror(errno) + "); ";
    } else {
      tried += "cgroup v2 at " + m.v2 + " has no memory+pids controllers (it offers \"" + ctl.substr(0, ctl.find('\n')) +
               "\"; memory and pids are bound to v1); ";
    }
  } else {
    tried += "no cgroup2 mount; ";
  }
  for (auto d : cg.created_) rmdir(d.c_str());
  cg.created_.clear();

  if (!m.v1_memory.empty() && !m.v1_pids.empty()) {
    const std::string md = m.v1_memory + "/" + leaf;
    const std::string pd = m.v1_pids + "/" + leaf;
    make_parents(m.v1_memory, leaf, false);
    make_parents(m.v1_pids, leaf, false);
    bool ok = mkdir(md.c_str(), 0755) == 0;
    if (ok) cg.created_.push_back(md);
    ok = ok && mkdir(pd.c_str(), 0755) == 0;
    if (ok) cg.created_.push_back(pd);
    ok = ok && (memory_bytes == 0 || write_file(md + "/memory.limit_in_bytes", mem));
    if (ok && memory_bytes) write_file(md + "/memory.memsw.limit_in_bytes", mem);  // absent without swap accounting
    ok = ok && write_file(pd + "/pids.max", pid_limit);
    if (ok) {
      cg.mode_ = "v1";
      cg.memory_dir_ = md;
      cg.pids_dir_ = pd;
      for (const auto& root : m.v1_accounting) {
        const std::string dir = root + "/" + leaf;
        make_parents(root, leaf, false);
        if (mkdir(dir.c_str(), 0755) != 0) continue;  // accounting only: its absence limits nothing
        cg.created_.push_back(dir);
        cg.accounting_dirs_.push_back(dir);
      }
      return cg;
    }
    tried += "cgroup v1 memory/pids hierarchies refused a new group or its limits (" +
             std::string(std::strerror(errno)) + ")";
    for (auto it = cg.created_.rbegin(); it != cg.created_.rend(); ++it) rmdir(it->c_str());
    cg.created_.clear();
  } else {
    tried += "no cgroup v1 memory and pids hierarchies";
  }
  cg.why_none_ = tried;
  return cg;
}

Status Cgroup::add(pid_t pid) const {
  for (const auto& dir : {memory_dir_, pids_dir_}) {
    if (dir.empty()) continue;
    if (!write_file(dir + "/cgroup.procs", std::to_string(pid))) {
      return Error::io("cannot move the sandbox into " + dir + ": " + std::strerror(errno));
    }
  }
  if (!cpuset_dir_.empty() && !write_file(cpuset_dir_ + "/cgroup.procs", std::to_string(pid))) {
    return Error::io("cannot move the sandbox into " + cpuset_dir_ + ": " + std::strerror(errno));
  }
  for (const auto& dir : accounting_dirs_) write_file(dir + "/cgroup.procs", std::to_string(pid));
  return {};
}

Status Cgroup::set_cpuset(const CpuLimits& cpu) {
  if (cpu.cpus.empty() && cpu.mems.empty()) return {};
  std::vector<std::pair<std::string, std::string>> writes;
  std::string dir;
  if (mode_ == "v2" && has_word(read_file(mounts_.v2 + "/cgroup.controllers"), "cpuset")) {
    write_file(mounts_.v2 + "/cgroup.subtree_control", "+cpuset");
    for (size_t slash = leaf_.find('/'); slash != std::string::npos; slash = leaf_.find('/', slash + 1)) {
      write_file(mounts_.v2 + "/" + leaf_.substr(0, slash) + "/cgroup.subtree_control", "+cpuset");
    }
    dir = memory_dir_;
  } else if (!mounts_.v1_cpuset.empty()) {
    // Each new group starts with empty sets, which no task may join: copy the parent's.
    std::string parent = mounts_.v1_cpuset;
    for (size_t start = 0; start <= leaf_.size();) {
      const size_t slash = std::min(leaf_.find('/', start), leaf_.size());
      const std::string here = mounts_.v1_cpuset + "/" + leaf_.substr(0, slash);
      if (mkdir(here.c_str(), 0755) == 0) {
        if (slash == leaf_.size()) created_.push_back(here);  // parents are made and left, as for the others
        for (const char* f : {"/cpuset.cpus", "/cpuset.mems"}) write_file(here + f, read_file(parent + f));
      } else if (errno != EEXIST) {
        return Error::io("cannot create the cpuset group " + here + ": " + std::strerror(errno));
      }
      parent = here;
      start = slash + 1;
    }
    dir = cpuset_dir_ = parent;
  } else {
    return Error::unsupported("linux.resources.cpu.cpus/mems: this host offers no cpuset controller (cgroup v1 or "
                              "v2) to pin the container with; leave them out");
  }
  if (!cpu.cpus.empty()) writes.push_back({dir + "/cpuset.cpus", cpu.cpus});
  if (!cpu.mems.empty()) writes.push_back({dir + "/cpuset.mems", cpu.mems});
  for (const auto& [file, value] : writes) {
    if (!write_file(file, value)) {
      return Error::invalid("linux.resources.cpu: cannot write \"" + value + "\" to " + file + ": " + std::strerror(errno) +
                            " (a cpu or memory node this host lacks?)");
    }
  }
  return {};
}

Status Cgroup::set_memory_extras(const MemoryExtras& m, uint64_t limit) const {
  if (memory_dir_.empty() || (!m.reservation && !m.swap)) return {};
  std::vector<std::pair<std::string, std::string>> writes;
  const bool v2 = mode_ == "v2";
  if (m.reservation) writes.push_back({memory_dir_ + (v2 ? "/memory.low" : "/memory.soft_limit_in_bytes"), std::to_string(m.reservation)});
  if (m.swap < 0) writes.push_back({memory_dir_ + (v2 ? "/memory.swap.max" : "/memory.memsw.limit_in_bytes"), v2 ? "max" : "-1"});
  if (m.swap > 0) {
    const uint64_t swap = static_cast<uint64_t>(m.swap);
    writes.push_back(v2 ? std::pair{memory_dir_ + "/memory.swap.max", std::to_string(swap > limit ? swap - limit : 0)}
                        : std::pair{memory_dir_ + "/memory.memsw.limit_in_bytes", std::to_string(swap)});
  }
  for (const auto& [file, value] : writes) {
    if (!write_file(file, value)) {
      return Error::io("linux.resources.memory: cannot write " + value + " to " + file + ": " + std::strerror(errno) +
                       (file.find("memsw") != std::string::npos ? " (swap accounting is off on this host)" : ""));
    }
  }
  return {};
}

Status Cgroup::set_cpu(const CpuLimits& cpu) const {
  if (!cpu.shares && cpu.quota <= 0) return {};
  const uint64_t period = cpu.period ? cpu.period : 100000;
  std::vector<std::pair<std::string, std::string>> writes;
  if (mode_ == "v2" && read_file(memory_dir_ + "/cgroup.controllers").find("cpu") != std::string::npos) {
    // runc's conversion of shares [2, 262144] to weight [1, 10000].
    if (cpu.shares) writes.push_back({memory_dir_ + "/cpu.weight", std::to_string(1 + ((cpu.shares - 2) * 9999) / 262142)});
    if (cpu.quota > 0) writes.push_back({memory_dir_ + "/cpu.max", std::to_string(cpu.quota) + " " + std::to_string(period)});
  } else {
    std::string dir;
    for (const auto& d : accounting_dirs_) {
      if (access((d + "/cpu.shares").c_str(), F_OK) == 0) dir = d;
    }
    if (dir.empty()) return {};  // no cpu controller here: like memory without cgroups, not applied
    if (cpu.shares) writes.push_back({dir + "/cpu.shares", std::to_string(cpu.shares)});
    if (cpu.quota > 0) {
      writes.push_back({dir + "/cpu.cfs_period_us", std::to_string(period)});
      writes.push_back({dir + "/cpu.cfs_quota_us", std::to_string(cpu.quota)});
    }
  }
  for (const auto& [file, value] : writes) {
    if (!write_file(file, value)) return Error::io("cannot write " + value + " to " + file + ": " + std::strerror(errno));
  }
  return {};
}

uint64_t Cgroup::peak_memory() const {
  if (memory_dir_.empty()) return 0;
  const std::string f = memory_dir_ + (mode_ == "v2" ? "/memory.peak" : "/memory.max_usage_in_bytes");
  const std::string text = read_file(f);
  return text.empty() ? 0 : std::strtoull(text.c_str(), nullptr, 10);
}

bool Cgroup::oom_killed() const {
  if (memory_dir_.empty()) return false;
  if (mode_ == "v2") {
    text::Scanner s(read_file(memory_dir_ + "/memory.events"));
    for (std::string k, v; s >> k >> v;) {
      if (k == "oom_kill") return v != "0";
    }
    return false;
  }
  text::Scanner s(read_file(memory_dir_ + "/memory.oom_control"));
  for (std::string k, v; s >> k >> v;) {
    if (k == "oom_kill") return v != "0";
  }
  return false;
}

}  // namespace edgeward::sandbox
