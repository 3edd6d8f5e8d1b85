#include "runtime/container/spec_json.h"

#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "runtime/container/hooks.h"

namespace edgeward::runtime {
namespace {

using json = nlohmann::ordered_json;  // one instantiation for the whole binary (size)

std::string_view backend_name(Backend b) { return b == Backend::kVm ? "vm" : "sandbox"; }
Backend backend_from(const std::string& s) { return s == "vm" ? Backend::kVm : Backend::kSandbox; }

Result<runtime::Status> status_from(const std::string& s) {
  for (auto st : {Status::kCreating, Status::kCreated, Status::kRunning, Status::kPaused, Status::kStopped}) {
    if (status_name(st) == s) return st;
  }
  return Error::invalid("unknown status \"" + s + "\"");
}

struct BadField : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An integer field in T's range (nlohmann's get<T>() would convert a float, out of range: UB).
template <typename T>
T integer(const json& j, const char* key) {
  const json& v = j.at(key);
  if (!v.is_number_integer()) throw BadField(std::string(key) + " is not an integer");
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) throw BadField(std::string(key) + " is out of range");
    return static_cast<T>(u);
  }
  const int64_t i = v.get<int64_t>();
  if (i < 0 && std::numeric_limits<T>::is_signed == false) throw BadField(std::string(key) + " is negative");
  if (std::numeric_limits<T>::is_signed &&
      (i < static_cast<int64_t>(std::numeric_limits<T>::min()) || i > static_cast<int64_t>(std::numeric_limits<T>::max()))) {
    throw BadField(std::string(key) + " is out of range");
  }
  return static_cast<T>(i);
}

// Parses `text` and runs `fill` on it; JSON syntax or type errors become one Error naming `source`.
template <typename T, typename F>
Result<T> parse(std::string_view text, const std::string& source, F fill) {
  try {
    const json j = json::parse(text);
    T out;
    fill(j, out);
    return out;
  } catch (const json::exception& e) {
    return Error::invalid(source + " is damaged (" + e.what() + "); remove the container with delete --force");
  } catch (const BadField& e) {
    return Error::invalid(source + " is damaged (" + e.what() + "); remove the container with delete --force");
  }
}

// linux.seccomp (sandbox/seccomp_profile.h), null when absent.
json seccomp_to_json(const std::optional<sandbox::SeccompProfile>& p) {
  if (!p) return nullptr;
  json rules = json::array();
  for (const auto& r : p->syscalls) {
    json args = json::array();
    for (const auto& a : r.args) args.push_back({{"index", a.index}, {"value", a.value}, {"valueTwo", a.value_two}, {"op", a.op}});
    rules.push_back({{"names", r.names}, {"action", r.action}, {"errnoRet", r.errno_ret ? json(*r.errno_ret) : json(nullptr)},
                     {"args", args}});
  }
  return {{"defaultAction", p->default_action},
          {"defaultErrnoRet", p->default_errno_ret ? json(*p->default_errno_ret) : json(nullptr)},
          {"architectures", p->architectures}, {"flags", p->flags}, {"syscalls", rules}};
}

std::optional<uint32_t> optional_errno(const json& j, const char* key) {
  if (j.at(key).is_null()) return std::nullopt;
  return integer<uint32_t>(j, key);
}

std::optional<sandbox::SeccompProfile> seccomp_from_json(const json& j) {
  if (j.is_null()) return std::nullopt;
  sandbox::SeccompProfile p;
  p.default_action = j.at("defaultAction").get<std::string>();
  p.default_errno_ret = optional_errno(j, "defaultErrnoRet");
  p.architectures = j.at("architectures").get<std::vector<std::string>>();
  p.flags = j.at("flags").get<std::vector<std::string>>();
  for (const json& r : j.at("syscalls")) {
    sandbox::SeccompRule rule{r.at("names").get<std::vector<std::string>>(), r.at("action").get<std::string>(),
                              optional_errno(r, "errnoRet"), {}};
    for (const json& a : r.at("args")) {
      rule.args.push_back({integer<uint32_t>(a, "index"), integer<uint64_t>(a, "value"), integer<uint64_t>(a, "valueTwo"),
                           a.at("op").get<std::string>()});
    }
    p.syscalls.push_back(std::move(rule));
  }
  return p;
}

json mappings_to_json(const std::vector<sandbox::IdMapping>& maps) {
  json out = json::array();
  for (const auto& m : maps) out.push_back({{"inside", m.inside}, {"host", m.host}, {"size", m.size}});
  return out;
}

std::vector<sandbox::IdMapping> mappings_from_json(const json& a) {
  std::vector<sandbox::IdMapping> out;
  for (const json& m : a) out.push_back({integer<uint32_t>(m, "inside"), integer<uint32_t>(m, "host"), integer<uint32_t>(m, "size")});
  return out;
}

// The OCI container's part of a workload (namespaces to join, user, mounts, root, pid).
json container_to_json(const WorkloadSpec& w) {
  json joins = json::array(), mounts = json::array();
  for (const auto& n : w.join_namespaces) joins.push_back({{"type", n.type}, {"path", n.path}});
  for (const auto& m : w.mounts) {
    mounts.push_back({{"destination", m.destination}, {"type", m.type}, {"source", m.source}, {"options", m.options}});
  }
  const auto& id = w.identity;
  return {{"join_namespaces", joins},
          {"identity", {{"uid", id.uid}, {"gid", id.gid}, {"additional_gids", id.additional_gids},
                        {"uid_mappings", mappings_to_json(id.uid_mappings)},
                        {"gid_mappings", mappings_to_json(id.gid_mappings)},
                        {"id_pool", w.id_pool ? json{{"base", w.id_pool->base}, {"ranges", w.id_pool->ranges},
                                                     {"size", w.id_pool->size}}
                                              : json(nullptr)}}},
          {"mounts", mounts}, {"readonly_root", w.readonly_root}, {"init_is_pid", w.init_is_pid},
          {"new_cgroup_ns", w.new_cgroup_ns},
          {"cgroup_path", w.cgroup_path},
          {"cpu", {{"shares", w.cpu.shares}, {"quota", w.cpu.quota}, {"period", w.cpu.period},
                   {"cpus", w.cpu.cpus}, {"mems", w.cpu.mems}}},
          {"memory_extras", {{"reservation", w.memory_extras.reservation}, {"swap", w.memory_extras.swap}}},
          {"seccomp", seccomp_to_json(w.seccomp)}};
}

void container_from_json(const json& c, WorkloadSpec& o) {
  for (const json& n : c.at("join_namespaces")) o.join_namespaces.push_back({n.at("type"), n.at("path")});
  for (const json& m : c.at("mounts")) {
    o.mounts.push_back({m.at("destination"), m.at("type"), m.at("source"), m.at("options").get<std::vector<std::string>>()});
  }
  const json& id = c.at("identity");
  o.identity.uid = integer<uint32_t>(id, "uid");
  o.identity.gid = integer<uint32_t>(id, "gid");
  o.identity.additional_gids = id.at("additional_gids").get<std::vector<uint32_t>>();
  // Absent in specs written before host id ranges (a record readopted after an update): none.
  if (id.contains("uid_mappings")) o.identity.uid_mappings = mappings_from_json(id.at("uid_mappings"));
  if (id.contains("gid_mappings")) o.identity.gid_mappings = mappings_from_json(id.at("gid_mappings"));
  if (const json pool = id.value("id_pool", json(nullptr)); !pool.is_null()) {
    o.id_pool = sandbox::IdPool{integer<uint32_t>(pool, "base"), integer<uint32_t>(pool, "ranges"), integer<uint32_t>(pool, "size")};
  }
  o.readonly_root = c.at("readonly_root").get<bool>();
  o.init_is_pid = c.at("init_is_pid").get<bool>();
  o.new_cgroup_ns = c.value("new_cgroup_ns", false);  // absent: written before it existed
  o.cgroup_path = c.at("cgroup_path").get<std::string>();
  const json& cpu = c.at("cpu");
  o.cpu = {integer<uint64_t>(cpu, "shares"), integer<int64_t>(cpu, "quota"), integer<uint64_t>(cpu, "period")};
  if (c.contains("seccomp")) o.seccomp = seccomp_from_json(c.at("seccomp"));
  if (cpu.contains("cpus")) o.cpu.cpus = cpu.at("cpus").get<std::string>();
  if (cpu.contains("mems")) o.cpu.mems = cpu.at("mems").get<std::string>();
  if (c.contains("memory_extras")) {
    const json& m = c.at("memory_extras");
    o.memory_extras = {integer<uint64_t>(m, "reservation"), integer<int64_t>(m, "swap")};
  }
}

json hooks_to_json(const Hooks& h) {
  const auto list = [](const std::vector<Hook>& hooks) {
    json a = json::array();
    for (const auto& k : hooks) a.push_back({{"path", k.path}, {"args", k.args}, {"env", k.env}, {"timeout", k.timeout}});
    return a;
  };
  return {{"prestart", list(h.prestart)}, {"createRuntime", list(h.create_runtime)},
          {"createContainer", list(h.create_container)}, {"startContainer", list(h.start_container)},
          {"poststart", list(h.poststart)},
          {"poststop", list(h.poststop)}};
}

void hooks_from_json(const json& j, Hooks& h) {
  const auto list = [&](const char* key, std::vector<Hook>& out) {
    for (const json& k : j.at(key)) {
      out.push_back({k.at("path").get<std::string>(), k.at("args").get<std::vector<std::string>>(),
                     k.at("env").get<std::vector<std::string>>(), integer<int>(k, "timeout")});
    }
  };
  list("prestart", h.prestart);
  list("createRuntime", h.create_runtime);
  list("createContainer", h.create_container);
  if (j.contains("startContainer")) list("startContainer", h.start_container);  // absent before it was run
  list("poststart", h.poststart);
  list("poststop", h.poststop);
}

// The process's own attributes (sandbox/process_attrs.h). Absent in a spec.json written before
// they existed: none.
json process_to_json(const sandbox::ProcessAttrs& p) {
  json limits = json::array();
  for (const auto& l : p.rlimits) limits.push_back({{"resource", l.resource}, {"soft", l.soft}, {"hard", l.hard}});
  const auto& c = p.capabilities;
  return {{"rlimits", limits},
          {"umask", p.umask ? json(*p.umask) : json(nullptr)},
          {"oom_score_adj", p.oom_score_adj ? json(*p.oom_score_adj) : json(nullptr)},
          {"no_new_privs", p.no_new_privs},
          {"capabilities", {{"bounding", c.bounding}, {"effective", c.effective}, {"inheritable", c.inheritable},
                            {"permitted", c.permitted}, {"ambient", c.ambient}}}};
}

void process_from_json(const json& w, sandbox::ProcessAttrs& o) {
  if (!w.contains("process")) return;
  const json& p = w.at("process");
  for (const json& l : p.at("rlimits")) {
    o.rlimits.push_back({integer<int>(l, "resource"), integer<uint64_t>(l, "soft"), integer<uint64_t>(l, "hard")});
  }
  if (!p.at("umask").is_null()) o.umask = integer<uint32_t>(p, "umask");
  if (!p.at("oom_score_adj").is_null()) o.oom_score_adj = integer<int>(p, "oom_score_adj");
  if (p.contains("no_new_privs")) o.no_new_privs = p.at("no_new_privs").get<bool>();  // absent: written before it existed
  const json& c = p.at("capabilities");
  o.capabilities = {integer<uint64_t>(c, "bounding"), integer<uint64_t>(c, "effective"),
                    integer<uint64_t>(c, "inheritable"), integer<uint64_t>(c, "permitted"), integer<uint64_t>(c, "ambient")};
}

// linux.maskedPaths / readonlyPaths / devices / sysctl (sandbox/fs_config.h).
json fs_to_json(const sandbox::FsConfig& fs) {
  json devices = json::array();
  for (const auto& d : fs.devices) {
    json e = {{"path", d.path}, {"type", std::string(1, d.type)}, {"major", d.major}, {"minor", d.minor}};
    if (d.file_mode) e["file_mode"] = *d.file_mode;
    if (d.uid) e["uid"] = *d.uid;
    if (d.gid) e["gid"] = *d.gid;
    if (d.denied) e["denied"] = true;
    devices.push_back(std::move(e));
  }
  return {{"masked_paths", fs.masked_paths}, {"readonly_paths", fs.readonly_paths}, {"devices", devices},
          {"sysctl", fs.sysctl}};
}

void fs_from_json(const json& j, sandbox::FsConfig& fs) {
  fs.masked_paths = j.at("masked_paths").get<std::vector<std::string>>();
  fs.readonly_paths = j.at("readonly_paths").get<std::vector<std::string>>();
  for (const json& e : j.at("devices")) {
    sandbox::DeviceNode d;
    d.path = e.at("path").get<std::string>();
    const std::string type = e.at("type").get<std::string>();
    if (type.size() != 1) throw BadField("devices[].type is not one letter");
    d.type = type[0];
    d.major = integer<int64_t>(e, "major");
    d.minor = integer<int64_t>(e, "minor");
    if (e.contains("file_mode")) d.file_mode = integer<uint32_t>(e, "file_mode");
    if (e.contains("uid")) d.uid = integer<uint32_t>(e, "uid");
    if (e.contains("gid")) d.gid = integer<uint32_t>(e, "gid");
    if (e.contains("denied")) d.denied = e.at("denied").get<bool>();
    fs.devices.push_back(std::move(d));
  }
  fs.sysctl = j.at("sysctl").get<std::map<std::string, std::string>>();
}

}  // namespace

std::string hook_state_json(const HookState& s) {
  // ociVersion: the runtime-spec version edgeward implements (oci_json.h's kOciVersion).
  return json{{"ociVersion", "1.0.2"}, {"id", s.id}, {"status", s.status}, {"pid", s.pid},
              {"bundle", s.bundle}, {"annotations", s.annotations}}.dump();
}

std::string_view status_name(runtime::Status s) {
  switch (s) {
    case Status::kCreating: return "creating";
    case Status::kCreated: return "created";
    case Status::kRunning: return "running";
    case Status::kPaused: return "paused";
    case Status::kStopped: return "stopped";
  }
  return "unknown";
}

std::string spec_to_json(const ContainerSpec& s) {
  const WorkloadSpec& w = s.workload;
  json disks = json::array();
  for (const auto& d : w.vm.disks) disks.push_back({{"path", d.path}, {"read_only", d.read_only}});
  const json j = {
      {"id", s.id},
      {"bundle", s.bundle},
      {"annotations", s.annotations},
      {"log_file", s.stdio.log_file},
      {"hooks", hooks_to_json(s.hooks)},
      {"workload",
       {{"backend", backend_name(w.backend)}, {"rootfs", w.rootfs}, {"argv", w.argv}, {"env", w.env},
        {"cwd", w.cwd}, {"hostname", w.hostname}, {"policy_file", w.policy_file},
        {"memory_bytes", w.memory_bytes}, {"pids", w.pids}, {"net_host", w.net_host},
        {"container", container_to_json(w)},
        {"process", process_to_json(w.process)},
        {"fs", fs_to_json(w.fs)},
        {"vm",
         {{"kernel", w.vm.kernel}, {"initrd", w.vm.initrd}, {"cmdline", w.vm.cmdline},
          {"mem_bytes", w.vm.mem_bytes}, {"vcpus", w.vm.vcpus}, {"disks", disks}}}}}};
  return j.dump(2);
}

Result<ContainerSpec> spec_from_json(std::string_view text, const std::string& source) {
  return parse<ContainerSpec>(text, source, [](const json& j, ContainerSpec& s) {
    s.id = j.at("id").get<std::string>();
    s.bundle = j.at("bundle").get<std::string>();
    s.annotations = j.at("annotations").get<std::map<std::string, std::string>>();
    s.stdio.log_file = j.at("log_file").get<std::string>();
    if (j.contains("hooks")) hooks_from_json(j.at("hooks"), s.hooks);
    const json& w = j.at("workload");
    WorkloadSpec& o = s.workload;
    o.backend = backend_from(w.at("backend").get<std::string>());
    o.rootfs = w.at("rootfs").get<std::string>();
    o.argv = w.at("argv").get<std::vector<std::string>>();
    o.env = w.at("env").get<std::vector<std::string>>();
    o.cwd = w.at("cwd").get<std::string>();
    o.hostname = w.at("hostname").get<std::string>();
    o.policy_file = w.at("policy_file").get<std::string>();
    o.memory_bytes = integer<uint64_t>(w, "memory_bytes");
    o.pids = integer<uint64_t>(w, "pids");
    o.net_host = w.at("net_host").get<bool>();
    container_from_json(w.at("container"), o);
    process_from_json(w, o.process);
    fs_from_json(w.at("fs"), o.fs);
    const json& vm = w.at("vm");
    o.vm.kernel = vm.at("kernel").get<std::string>();
    o.vm.initrd = vm.at("initrd").get<std::string>();
    o.vm.cmdline = vm.at("cmdline").get<std::string>();
    o.vm.mem_bytes = integer<uint64_t>(vm, "mem_bytes");
    o.vm.vcpus = integer<uint32_t>(vm, "vcpus");
    for (const json& d : vm.at("disks")) {
      o.vm.disks.push_back({d.at("path").get<std::string>(), d.at("read_only").get<bool>()});
    }
  });
}

std::string state_to_json(const ContainerState& st) {
  json j = {{"id", st.id},
            {"status", status_name(st.status)},
            {"pid", st.pid},
            {"pid_start_time", st.pid_start_time},
            {"workload_pid", st.workload_pid},
            {"workload_start_time", st.workload_start_time},
            {"init_is_pid", st.init_is_pid},
            {"bundle", st.bundle},
            {"annotations", st.annotations},
            {"backend", backend_name(st.backend)},
            {"created_unix", st.created_unix},
            {"started_unix", st.started_unix},
            {"finished_unix", st.finished_unix}};
  j["exit_status"] = st.exit_status ? json(*st.exit_status) : json(nullptr);
  return j.dump(2);
}

Result<ContainerState> state_from_json(std::string_view text, const std::string& source) {
  std::string bad_status;
  auto r = parse<ContainerState>(text, source, [&](const json& j, ContainerState& st) {
    st.id = j.at("id").get<std::string>();
    auto status = status_from(j.at("status").get<std::string>());
    if (status) st.status = *status; else bad_status = status.error().message;
    st.pid = integer<pid_t>(j, "pid");
    st.pid_start_time = integer<uint64_t>(j, "pid_start_time");
    st.workload_pid = integer<pid_t>(j, "workload_pid");
    st.workload_start_time = integer<uint64_t>(j, "workload_start_time");
    st.init_is_pid = j.at("init_is_pid").get<bool>();
    st.bundle = j.at("bundle").get<std::string>();
    st.annotations = j.at("annotations").get<std::map<std::string, std::string>>();
    st.backend = backend_from(j.at("backend").get<std::string>());
    st.created_unix = integer<int64_t>(j, "created_unix");
    st.started_unix = integer<int64_t>(j, "started_unix");
    st.finished_unix = integer<int64_t>(j, "finished_unix");
    if (!j.at("exit_status").is_null()) st.exit_status = integer<int>(j, "exit_status");
  });
  if (r && !bad_status.empty()) return Error::invalid(source + ": " + bad_status);
  return r;
}

std::string exit_to_json(const ExitRecord& e) {
  return json{{"status", e.status}, {"finished_unix", e.finished_unix}, {"error", e.error}}.dump(2);
}

Result<ExitRecord> exit_from_json(std::string_view text, const std::string& source) {
  return parse<ExitRecord>(text, source, [](const json& j, ExitRecord& e) {
    e.status = integer<int>(j, "status");
    e.finished_unix = integer<int64_t>(j, "finished_unix");
    e.error = j.at("error").get<std::string>();
  });
}

}  // namespace edgeward::runtime
