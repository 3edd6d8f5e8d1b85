#include "runtime/oci/bundle.h"

#include "runtime/sandbox/cgroup.h"
#include "runtime/sandbox/systemd_cgroup.h"

#include <climits>
#include <cstdlib>

#include <sys/stat.h>
#include <unistd.h>

#include "common/errno_error.h"
#include "common/units.h"
#include "runtime/container/entry.h"
#include "runtime/oci/linux_fields.h"
#include "runtime/oci/process_policy.h"

namespace edgeward::oci {
namespace {

// The two spellings of one edgeward annotation: OCI-style (podman --annotation, docs/oci.md) and
// the Kubernetes one (a pod annotation forwarded by containerd's pod_annotations,
// deploy/k8s/containerd-edgeward.toml).
constexpr std::string_view kPrefixes[] = {"io.edgeward.", "edgeward.io/"};
constexpr const char* kKnown[] = {"backend", "vm.kernel", "vm.initrd", "vm.cmdline", "vm.mem", "vm.vcpus", "sandbox.policy", "net"};

std::string resolve(const std::string& bundle, const std::string& path) {
  return path.empty() || path[0] == '/' ? path : bundle + "/" + path;
}

Error bad_annotation(const std::string& key, const std::string& what) {
  return Error::invalid("annotations[\"" + key + "\"]: " + what);
}

// edgeward's annotations by name ("backend", "vm.kernel", ...), with the key each was given as.
class Annotations {
 public:
  static Result<Annotations> from(const std::map<std::string, std::string>& all) {
    Annotations a;
    for (const auto& [key, value] : all) {
      std::string name;
      for (auto p : kPrefixes) name = key.starts_with(p) ? key.substr(p.size()) : name;
      if (name.empty()) continue;
      bool known = false;
      for (const char* k : kKnown) known = known || name == k;
      if (!known) return bad_annotation(key, "unknown edgeward annotation (see docs/oci.md for the list)");
      auto [it, fresh] = a.by_name_.emplace(name, std::pair{key, value});
      if (!fresh && it->second.second != value) {
        return bad_annotation(key, "contradicts annotations[\"" + it->second.first + "\"]; give one of them");
      }
    }
    return a;
  }
  std::string get(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? "" : it->second.second;
  }
  std::string key(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? "io.edgeward." + name : it->second.first;
  }

 private:
  std::map<std::string, std::pair<std::string, std::string>> by_name_;
};

edgeward::Status apply_vm(const Annotations& a, const std::string& bundle, runtime::WorkloadSpec& w) {
  w.backend = runtime::Backend::kVm;
  w.vm.kernel = resolve(bundle, a.get("vm.kernel"));
  if (w.vm.kernel.empty()) return bad_annotation(a.key("vm.kernel"), "required with " + a.key("backend") + "=vm");
  w.vm.initrd = resolve(bundle, a.get("vm.initrd"));
  w.vm.cmdline = a.get("vm.cmdline");
  w.vm.mem_bytes = w.memory_bytes;
  if (auto m = a.get("vm.mem"); !m.empty()) {
    auto bytes = parse_size(m);
    if (!bytes) return bad_annotation(a.key("vm.mem"), bytes.error().message);
    w.vm.mem_bytes = *bytes;
  }
  if (auto n = a.get("vm.vcpus"); !n.empty()) {
    auto vcpus = parse_uint(n, 1, vmm::kMaxVcpus, "vcpus");
    if (!vcpus) return bad_annotation(a.key("vm.vcpus"), vcpus.error().message);
    w.vm.vcpus = static_cast<uint32_t>(*vcpus);
  }
  return {};
}

// linux.namespaces: a path joins (net, ipc, uts, cgroup, pid, user; sandbox/namespaces.h says which and
// why not the others); a listed config without a network entry shares the host's network, as
// the runtime-spec says (Kubernetes hostNetwork pods).
edgeward::Status apply_namespaces(const OciConfig& c, runtime::WorkloadSpec& w) {
  bool network = false;
  for (const auto& n : c.namespaces) {
    network = network || n.type == "network";
    if (!n.path.empty()) w.join_namespaces.push_back({n.type, n.path});
    if (n.type == "cgroup" && n.path.empty()) w.new_cgroup_ns = true;
  }
  auto check = sandbox::NamespaceJoin::open(w.join_namespaces);
  if (!check) return std::move(check).error();
  if (c.has_namespaces && !network) w.net_host = true;
  return {};
}

// process.user and the user namespace's mappings: without linux.uidMappings/gidMappings, a host
// range of the workload's own when edgeward runs as root (sandbox/identity.h).
edgeward::Status apply_user(const OciConfig& c, runtime::WorkloadSpec& w) {
  sandbox::Identity& id = w.identity;
  id.uid = c.uid;
  id.gid = c.gid;
  id.additional_gids = c.additional_gids;
  for (const auto& m : c.uid_mappings) id.uid_mappings.push_back({m.container_id, m.host_id, m.size});
  for (const auto& m : c.gid_mappings) id.gid_mappings.push_back({m.container_id, m.host_id, m.size});
  EW_TRY(sandbox::check_identity(id));
  if (!id.uid_mappings.empty()) EW_TRY(sandbox::check_mapped(id, sandbox::explicit_maps(id)));
  return {};
}

// hooks: each program must be an executable file on the host now, not only when its phase
// comes (a poststop hook missing at delete could only be warned about); a startContainer hook's
// path resolves inside the container, when `start` runs it. A microVM has no namespaces for
// them to act on: refused there.
edgeward::Status apply_hooks(const OciConfig& c, runtime::ContainerSpec& s) {
  const runtime::Hooks& h = c.hooks;
  if (h.empty()) return {};
  if (s.workload.backend == runtime::Backend::kVm) {
    return Error::unsupported("hooks: not supported for a microVM container (io.edgeward.backend=vm); leave them out");
  }
  const std::pair<const char*, const std::vector<runtime::Hook>*> lists[] = {
      {"prestart", &h.prestart}, {"createRuntime", &h.create_runtime}, {"createContainer", &h.create_container},
      {"poststart", &h.poststart}, {"poststop", &h.poststop}};
  for (const auto& [phase, list] : lists) {
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string& path = (*list)[i].path;
      struct stat st {};
      if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || access(path.c_str(), X_OK) != 0) {
        return Error::invalid(std::string("hooks.") + phase + "[" + std::to_string(i) + "].path: " + path +
                              " is not an executable file on this host");
      }
    }
  }
  s.hooks = h;
  return {};
}

// linux.resources memory reservation / swap / disableOOMKiller and cpu cpus / mems
// (resources_parser.h): values the cgroup code applies (sandbox/cgroup.h), or a refusal.
edgeward::Status apply_resources_extra(const OciResourcesExtra& x, const std::optional<int64_t>& limit,
                                       runtime::WorkloadSpec& w) {
  if (x.disable_oom_killer) {
    return Error::unsupported("linux.resources.memory.disableOOMKiller: not supported: a workload at its memory limit "
                              "would hang instead of being killed; leave it out or false");
  }
  if (x.memory_reservation && *x.memory_reservation > 0) w.memory_extras.reservation = static_cast<uint64_t>(*x.memory_reservation);
  if (x.memory_swap && *x.memory_swap != 0) {
    if (*x.memory_swap < -1) return Error::invalid("linux.resources.memory.swap: must be -1 (unlimited) or a byte count");
    if (*x.memory_swap > 0 && (!limit || *limit <= 0 || *x.memory_swap < *limit)) {
      return Error::invalid("linux.resources.memory.swap: is memory + swap, so it needs a memory.limit no larger than it");
    }
    w.memory_extras.swap = *x.memory_swap;
  }
  w.cpu.cpus = x.cpus;
  w.cpu.mems = x.mems;
  return {};
}

}  // namespace

Result<runtime::ContainerSpec> spec_from_bundle(const OciConfig& c, const std::string& bundle_dir,
                                                const std::string& id) {
  EW_ASSIGN(Annotations ann, Annotations::from(c.annotations));
  runtime::ContainerSpec s;
  s.id = id;
  s.bundle = bundle_dir;
  s.annotations = c.annotations;
  runtime::WorkloadSpec& w = s.workload;
  w.argv = c.args;
  w.env = c.env;
  w.cwd = c.cwd;
  w.hostname = c.hostname.empty() ? "edgeward" : c.hostname;
  if (c.memory_limit && *c.memory_limit > 0) w.memory_bytes = static_cast<uint64_t>(*c.memory_limit);
  w.pids = c.pids_limit && *c.pids_limit > 0 ? static_cast<uint64_t>(*c.pids_limit) : kDefaultPidsLimit;
  if (w.pids < 2) {  // pids.max is the limit, and the sandbox's init (the container's pid) is one task
    return Error::invalid("config.json: linux.resources.pids.limit: 1 leaves no task for process.args: the "
                          "container's pid 1 is edgeward's init (one of the container's tasks, as docker --init's); "
                          "give at least 2");
  }
  w.readonly_root = c.root_readonly;
  if (c.cpu_shares && *c.cpu_shares > 0) w.cpu.shares = static_cast<uint64_t>(*c.cpu_shares);
  if (c.cpu_quota && *c.cpu_quota > 0) w.cpu.quota = *c.cpu_quota;
  if (c.cpu_period && *c.cpu_period > 0) w.cpu.period = static_cast<uint64_t>(*c.cpu_period);
  w.init_is_pid = true;
  // cgroupfs paths ("/pod/ctr"), or systemd's "slice:prefix:name" (--systemd-cgroup) turned
  // into the cgroupfs path systemd would give the unit (sandbox/systemd_cgroup.h).
  if (sandbox::is_systemd_cgroup_path(c.cgroups_path)) {
    EW_ASSIGN(w.cgroup_path, sandbox::systemd_cgroup_path(c.cgroups_path));
  } else if (!c.cgroups_path.empty()) {
    if (!sandbox::valid_cgroup_path(c.cgroups_path)) {
      return Error::invalid("linux.cgroupsPath: \"" + c.cgroups_path +
                            "\" must be a cgroupfs path without \".\" or \"..\" components, or systemd's slice:prefix:name");
    }
    w.cgroup_path = c.cgroups_path;
  }
  for (const auto& m : c.mounts) w.mounts.push_back({m.destination, m.type, m.source, m.options});
  EW_TRY(apply_namespaces(c, w));
  EW_TRY(apply_user(c, w));
  EW_ASSIGN(w.process, process_attrs(c.process_fields));
  if (!w.process.umask) w.process.umask = 022;  // runc's when not given

  const std::string root = resolve(bundle_dir, c.root_path);
  char real[PATH_MAX];
  if (!realpath(root.c_str(), real)) return errno_error("root.path " + root);
  w.rootfs = real;

  if (auto p = ann.get("sandbox.policy"); !p.empty()) w.policy_file = resolve(bundle_dir, p);
  const std::string net = ann.get("net");
  if (!net.empty() && net != "none" && net != "host") return bad_annotation(ann.key("net"), "must be none or host, got \"" + net + "\"");
  if (net == "host") w.net_host = true;
  if (net == "none") w.net_host = false;
  EW_TRY(apply_linux_fs(c, w));
  // auto (the Kubernetes admission's default): a microVM when a kernel is given and KVM is usable;
  // a CRI pod's containers always run in the sandbox (below).
  std::string backend = ann.get("backend");
  const bool pod = c.annotations.contains("io.kubernetes.cri.container-type") ||
                   c.annotations.contains("io.kubernetes.cri-o.ContainerType");
  if (backend == "auto") {
    backend = !pod && !ann.get("vm.kernel").empty() && access("/dev/kvm", R_OK | W_OK) == 0 ? "vm" : "sandbox";
  }
  if (backend == "vm" && pod) {
    // One microVM per pod (Kata's model: the pause container is the VM, app containers are
    // processes in it) is not built; a pause microVM whose namespaces app containers cannot join
    // would be half a pod, so RunPodSandbox fails here, before anything is created.
    return bad_annotation(ann.key("backend"), "vm is not available for Kubernetes pods yet (one microVM per pod is not "
                                              "built): remove the annotation or set it to sandbox or auto");
  }
  if (backend == "vm") {
    EW_TRY(apply_vm(ann, bundle_dir, w));
  } else if (!backend.empty() && backend != "sandbox") {
    return bad_annotation(ann.key("backend"), "must be sandbox, vm or auto, got \"" + backend + "\"");
  }
  EW_TRY(apply_hooks(c, s));
  EW_TRY(apply_resources_extra(c.resources, c.memory_limit, w));
  if (c.seccomp && w.backend == runtime::Backend::kVm) {
    return Error::unsupported("linux.seccomp: a microVM's guest cannot be given the config's seccomp profile; leave it "
                              "out (podman: --security-opt seccomp=unconfined) or use the sandbox backend");
  }
  w.seccomp = c.seccomp;
  return s;
}

Result<LoadedBundle> load_bundle(const std::string& bundle_dir, const std::string& id) {
  const std::string path = bundle_dir + "/config.json";
  auto text = runtime::read_text(path);
  if (!text) return std::move(text).error().context("the bundle's config.json");
  EW_ASSIGN(OciConfig config, parse_oci_config(*text, path));
  EW_ASSIGN(runtime::ContainerSpec spec, spec_from_bundle(config, bundle_dir, id));
  return LoadedBundle{std::move(config), std::move(spec)};
}

}  // namespace edgeward::oci
