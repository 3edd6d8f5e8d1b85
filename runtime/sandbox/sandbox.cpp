#include "runtime/sandbox/sandbox.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <climits>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>

#include "common/unique_fd.h"
#include "runtime/sandbox/cgroup.h"
#include "runtime/sandbox/config_seccomp.h"
#include "runtime/sandbox/device_nodes.h"
#include "runtime/sandbox/filter.h"
#include "runtime/sandbox/idmap_mount.h"
#include "runtime/sandbox/jail.h"
#include "runtime/sandbox/jail_clone.h"
#include "runtime/sandbox/joined_mount.h"
#include "runtime/sandbox/masked_paths.h"
#include "runtime/sandbox/sysctl.h"
#include "runtime/sandbox/supervisor/notify_call.h"
#include "runtime/sandbox/supervisor/supervisor.h"

namespace edgeward::sandbox {
namespace {

class Pipe {
 public:
  Pipe() {
    if (pipe2(fds_, O_CLOEXEC) != 0) fds_[0] = fds_[1] = -1;
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  bool ok() const { return fds_[0] >= 0; }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_read() {
    if (fds_[0] >= 0) close(fds_[0]);
    fds_[0] = -1;
  }
  void close_write() {
    if (fds_[1] >= 0) close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2];
};

std::string read_all(int fd) {
  std::string out;
  char buf[512];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

Status check_rootfs(const std::string& rootfs) {
  struct stat st {};
  if (rootfs.empty() || rootfs[0] != '/') return Error::invalid("--rootfs must be an absolute path, got \"" + rootfs + "\"");
  if (stat(rootfs.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error::not_found("--rootfs " + rootfs + " is not a directory");
  }
  return {};
}

// The config's file-system fields (fs_config.h) against the namespaces this sandbox has, and
// what the jail needs to build /dev, with the device nodes edgeward makes (`made`: their mount,
// which the jail takes over).
Status check_fs_config(const SandboxConfig& config, const SysctlNamespaces& ns, JailSpec& spec, UniqueFd& made) {
  const FsConfig& fs = config.fs;
  EW_TRY(check_container_paths(fs.masked_paths, "linux.maskedPaths"));
  EW_TRY(check_container_paths(fs.readonly_paths, "linux.readonlyPaths"));
  EW_TRY(check_sysctls(fs.sysctl, ns));
  spec.fs = fs;
  EW_TRY(check_devices(spec.fs.devices));
  EW_ASSIGN(made, make_device_nodes(spec.fs.devices, spec.ids));
  spec.dev.own_ipc = ns.ipc;
  spec.dev.ids_mapped = spec.ids.privileged && spec.ids.host_gid(5).has_value();  // set before: resolve_ids
  for (const auto& m : spec.mounts) spec.dev.config_mounts.push_back(m.destination);
  return {};
}

// The workload's id mapping (identity.h): the running sandbox's when entering it; as root, the
// config's own mappings or a host range leased from the pool for as long as the run lasts;
// otherwise the caller's own ids.
struct Ids {
  IdMaps maps;
  std::optional<IdRangeLease> lease;
};

Result<Ids> resolve_ids(const SandboxConfig& c, const NamespaceJoin& join) {
  EW_TRY(check_identity(c.identity));
  Ids ids;
  if (join.user_maps()) {
    if (!c.identity.uid_mappings.empty() || !c.identity.gid_mappings.empty()) {
      return Error::invalid("linux.uidMappings/gidMappings cannot be applied to a joined user namespace (its maps are "
                            "set already): leave them out, or the user namespace's path");
    }
    ids.maps = *join.user_maps();
  } else if (c.enter_pid > 0) {
    EW_ASSIGN(ids.maps, read_id_maps(c.enter_pid));
  } else if (geteuid() != 0) {
    ids.maps = caller_maps();
  } else if (!c.identity.uid_mappings.empty()) {
    ids.maps = explicit_maps(c.identity);
  } else {
    EW_ASSIGN(IdRangeLease lease, IdRangeLease::acquire(c.id_pool));
    ids.maps = range_maps(lease.base(), lease.size());
    ids.lease.emplace(std::move(lease));
  }
  EW_TRY(check_mapped(c.identity, ids.maps));
  return ids;
}

}  // namespace

Result<RunResult> run_sandbox(const SandboxConfig& config) {
  if (config.argv.empty()) return Error::invalid("no command given: put it after --, e.g. -- /bin/sh -c 'echo hi'");
  const bool entering = config.enter_pid > 0;
  char real[PATH_MAX] = "/";
  if (!entering && !realpath(config.rootfs.c_str(), real)) {
    return Error::not_found("--rootfs " + config.rootfs + ": " + std::strerror(errno));
  }
  if (!entering) EW_TRY(check_rootfs(real));
  std::vector<std::pair<UniqueFd, int>> enter_fds;
  if (entering) {
    EW_ASSIGN(enter_fds, namespaces_of(config.enter_pid));
  }

  EW_ASSIGN(NamespaceJoin join, NamespaceJoin::open(entering ? std::vector<JoinNamespace>{} : config.join_namespaces));
  EW_ASSIGN(Ids ids, resolve_ids(config, join));
  const bool shared_net = config.net_host || join.joins(CLONE_NEWNET) || entering;
  Policy policy = config.policy;
  if (shared_net) policy.network = true;
  // Open and stat calls are answered through seccomp user notification when the kernel can;
  // the ptrace-only filter stays as the jail's fallback.
  const bool notify = config.user_notify && user_notify_supported();
  EW_ASSIGN(Filter filter, build_filter(policy, has_decision, notify ? has_notify_handler : nullptr));
  std::optional<Filter> fallback;
  if (notify) {
    EW_ASSIGN(Filter ptrace_only, build_filter(policy, has_decision));
    fallback.emplace(std::move(ptrace_only));
  }

  std::optional<Filter> config_filter;
  if (config.seccomp) {
    EW_ASSIGN(Filter f, build_config_filter(*config.seccomp));
    config_filter.emplace(std::move(f));
  }

  // The jail re-executes this binary as the namespace's init (init.h): opened here, where the
  // host's file system is still in view.
#ifdef EDGEWARD_SANITIZER_INIT  // the asan preset's static init (sanitizer_init_main.cpp)
  UniqueFd self(open(EDGEWARD_SANITIZER_INIT, O_PATH | O_CLOEXEC));
#else
  UniqueFd self(open("/proc/self/exe", O_PATH | O_CLOEXEC));
#endif
  if (!self.valid()) return Error::io(std::string("cannot open /proc/self/exe (the sandbox's init): ") + std::strerror(errno));

  RunResult result;
  // The init is one task of the cgroup: the workload still gets `pids` of its own, unless the
  // limit counts the init (pids_count_init). An entered process joins the sandbox's groups
  // (join_groups_of, below).
  if (config.pids_count_init && config.pids < 2 && !entering) {
    return Error::invalid("a task limit of " + std::to_string(config.pids) + " leaves no task for the workload: the "
                          "sandbox's init (pid 1) is one of its tasks; give at least 2");
  }
  const uint64_t pids_max = config.pids + (config.pids_count_init ? 0 : 1);
  Cgroup cgroup = entering ? Cgroup::create_in({}, 0, 0) : Cgroup::create(config.memory_bytes, pids_max, config.cgroup_path);
  if (!entering) {
    EW_TRY(cgroup.set_cpu(config.cpu));
    EW_TRY(cgroup.set_cpuset(config.cpu));
    EW_TRY(cgroup.set_memory_extras(config.memory_extras, config.memory_bytes));
  }
  result.cgroup_mode = std::string(cgroup.mode());
  result.cgroup_note = cgroup.why_none();

  JailSpec spec;
  spec.rootfs = real;
  spec.argv = config.argv;
  spec.env = config.env;
  spec.cwd = config.cwd;
  spec.hostname = config.hostname;
  spec.set_hostname = !join.joins(CLONE_NEWUTS);
  spec.readonly_root = config.readonly_root;
  spec.identity = config.identity;
  spec.ids = ids.maps;
  bool own_dev = false, own_proc = false;  // the config's /dev and /proc seen: ours go there
  for (const auto& m : config.mounts) {
    if (!sandbox_applies(m)) {
      if (is_own_dev(m) && !std::exchange(own_dev, true)) spec.dev_at = spec.mounts.size();
      if (is_own_proc(m) && !std::exchange(own_proc, true)) {
        spec.proc_at = spec.mounts.size();
        spec.proc_before_dev = !own_dev;
      }
      continue;
    }
    EW_ASSIGN(MountPlan plan, plan_mount(m));
    spec.mounts.push_back(m);
    spec.plans.push_back(std::move(plan));
  }
  UniqueFd made_nodes;
  // The namespaces whose sysctls are the sandbox's (sysctl.h); an entered process gets those of
  // the container's that are not the runtime's (checked once it runs, below).
  SysctlNamespaces own_ns{!config.net_host || join.joins(CLONE_NEWNET), !join.joins(CLONE_NEWIPC), !join.joins(CLONE_NEWUTS)};
  if (entering) own_ns = {true, true, true};
  if (!entering) {
    EW_TRY(check_fs_config(config, own_ns, spec, made_nodes));
  }
  // The workload opens the exec FIFO as its own user.
  if (config.exec_gate.fifo_fd >= 0 && ids.maps.privileged &&
      fchownat(config.exec_gate.fifo_fd, "", host_uid(config.identity, ids.maps), host_gid(config.identity, ids.maps),
               AT_EMPTY_PATH) != 0) {
    return Error::io(std::string("cannot hand the exec fifo to the workload's user: ") + std::strerror(errno));
  }
  spec.gate_ready_fd = config.exec_gate.ready_fd;
  spec.gate_fifo_fd = config.exec_gate.fifo_fd;
  spec.init_exe_fd = self.get();
  for (const auto& [fd, type] : enter_fds) spec.enter.emplace_back(fd.get(), type);
  spec.filter = &filter;
  if (fallback) spec.fallback_filter = &*fallback;
  spec.capabilities = config.process.capabilities;
  spec.umask = config.process.umask;
  spec.no_new_privs = config.process.no_new_privs;
  spec.new_cgroup_ns = config.new_cgroup_ns && !entering && !join.joins(CLONE_NEWCGROUP);
  if (config_filter) spec.config_filter = &*config_filter;
  const uint64_t rlimit_as = !cgroup.limits_memory() && !entering ? config.memory_bytes : 0;
  // RLIMIT_NPROC counts every process of the host uid; only safe as a fallback for non-root.
  const uint64_t rlimit_nproc = !cgroup.limits_pids() && geteuid() != 0 && !entering ? pids_max : 0;
  const std::vector<Rlimit> rlimits = plan_rlimits(config.process.rlimits, rlimit_as, rlimit_nproc);

  Pipe errors;
  int sync_pair[2];
  if (!errors.ok() || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync_pair) != 0) {
    return Error::io(std::string("pipe2/socketpair: ") + std::strerror(errno));
  }
  UniqueFd sync_parent(sync_pair[0]), sync_child(sync_pair[1]);
  spec.sync_fd = sync_child.get();
  spec.error_fd = errors.write_end();

  int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
  if (!config.net_host) flags |= CLONE_NEWNET;
  flags &= ~join.flags();
  if (entering) flags = 0;
  if (config.child_of_parent) flags |= CLONE_PARENT;
  const auto start = std::chrono::steady_clock::now();
  spec.joined_pid = join.joins(CLONE_NEWPID) && !entering;
  spec.joined_mnt = join.mount_fd() >= 0;  // its root is built there by host root (joined_mount.h)
  UniqueFd joined_proc;  // a joined pid namespace's /proc (joined_proc.h), the jail's copy is the one it mounts
  EW_ASSIGN(const pid_t child, clone_jail(flags, join, spec, joined_proc));
  sync_child.reset();
  errors.close_write();

  auto abort_child = [&](Error e) -> Error {
    kill(child, SIGKILL);
    waitpid(child, nullptr, __WALL);
    return e;
  };
  if (auto s = seize(child); !s) return abort_child(std::move(s).error());
  if (!entering && !join.user_maps()) {
    if (auto s = write_id_maps(child, ids.maps); !s) return abort_child(std::move(s).error());
  }
  if (auto s = entering ? join_groups_of(child, config.enter_pid) : cgroup.add(child); !s) {
    return abort_child(std::move(s).error());
  }
  if (auto s = apply_rlimits(child, rlimits); !s) return abort_child(std::move(s).error());
  if (auto s = apply_oom_score_adj(child, config.process); !s) return abort_child(std::move(s).error());
  UniqueFd tree;
  if (!entering && ids.maps.privileged) {
    auto t = rootfs_tree(real, child);
    if (!t) return abort_child(std::move(t).error());
    tree = std::move(t->fd);
  }
  if (config.on_spawned) config.on_spawned(child);
  if (config.before_setup) {
    if (auto s = config.before_setup(child); !s) return abort_child(std::move(s).error());
  }
  if (spec.joined_mnt) {  // the go-ahead then carries the root built there instead of the tree
    auto root = build_in_mount_namespace(child, spec, tree.get());
    if (!root) return abort_child(std::move(root).error());
    tree = std::move(root).value();
  }
  if (!send_go(sync_parent.get(), tree.get())) return abort_child(Error::io("cannot start the sandbox"));
  tree.reset();
  made_nodes.reset();  // the jail's copy is the one it mounts
  joined_proc.reset();
  sync_parent.reset();

  // The workload may read the sysctls of its own namespaces, never of one that is the runtime's
  // (a joined host namespace); the notification thread checks again where it opens them.
  const SysctlNamespaces apart = namespaces_apart(entering ? config.enter_pid : child);
  policy.namespaced_sysctls =
      namespaced_sysctl_paths({own_ns.net && apart.net, own_ns.ipc && apart.ipc, own_ns.uts && apart.uts});
  Supervisor supervisor(policy, child, shared_net, config.identity, ids.maps);
  if (spec.joined_pid) supervisor.end_all_with_root();
  supervisor.run(result);
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.peak_memory = cgroup.peak_memory();
  result.oom_killed = cgroup.oom_killed();

  const std::string setup_error = read_all(errors.read_end());
  if (!setup_error.empty()) return Error::io("sandbox setup failed: " + setup_error);
  return result;
}

}  // namespace edgeward::sandbox
