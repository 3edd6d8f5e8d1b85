// startContainer hooks (runtime-spec config.md: called during `start`, after the container was
// created and before the user-specified program is executed, in the container's namespaces, the
// path resolved in the container). edgeward runs each inside the full confinement, exactly as
// `exec` starts a process (ContainerRoot::enter): a detached monitor enters the created
// container's namespaces, root, cgroups and id mapping, under a supervisor of its own with the
// container's policy and seccomp filter, as the container's process user — never on the host,
// never as host root. Its argv is `path` then args[1..] (the jail executes argv[0], so args[0]
// cannot differ from the path), its environment `env`; stdin is the state JSON (status
// "created"), stdout and stderr are captured for the error. `start` becomes a child subreaper
// meanwhile so that the entered process's init (which exits with the hook's status) and its
// monitor are its children to wait for.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/child_wait.h"
#include "common/errno_error.h"
#include "common/unique_fd.h"
#include "runtime/container/container.h"
#include "runtime/container/hooks.h"

namespace edgeward::runtime {
namespace {

// PR_SET_CHILD_SUBREAPER for a scope; the caller's earlier setting is put back.
class Subreaper {
 public:
  Subreaper() {
    int was = 0;
    prctl(PR_GET_CHILD_SUBREAPER, &was);
    was_ = was != 0;
    ok_ = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
  }
  ~Subreaper() {
    if (!was_) prctl(PR_SET_CHILD_SUBREAPER, 0);
  }
  Subreaper(const Subreaper&) = delete;
  Subreaper& operator=(const Subreaper&) = delete;
  bool ok() const { return ok_; }

 private:
  bool was_ = false;
  bool ok_ = false;
};

// The monitor ends once the entered process is gone; reaped here (it is our child), or killed
// when it does not end.
void reap_monitor(pid_t monitor) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    const pid_t w = waitpid(monitor, nullptr, WNOHANG);
    if (w == monitor || (w < 0 && errno != EINTR)) return;  // reaped, or not our child (ECHILD)
    if (std::chrono::steady_clock::now() >= deadline) {
      kill_and_reap(monitor);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

ExecSpec hook_process(const Hook& h, const ContainerSpec& spec, int stdio) {
  ExecSpec e;
  e.argv = {h.path};
  if (h.args.size() > 1) e.argv.insert(e.argv.end(), h.args.begin() + 1, h.args.end());
  e.env = h.env;
  e.cwd = "/";
  e.uid = spec.workload.identity.uid;
  e.gid = spec.workload.identity.gid;
  e.additional_gids = spec.workload.identity.additional_gids;
  e.process = spec.workload.process;
  e.stdio.terminal_fd = stdio;
  return e;
}

}  // namespace

edgeward::Status ContainerRoot::run_start_hooks(const ContainerSpec& spec, const ContainerState& st) {
  const std::string state = hook_state_json({st.id, "created", st.workload_pid, st.bundle, st.annotations});
  const Subreaper subreaper;
  if (!subreaper.ok()) return errno_error("become a child subreaper to wait for the startContainer hooks");
  const auto& hooks = spec.hooks.start_container;
  for (size_t i = 0; i < hooks.size(); ++i) {
    const std::string name = "hooks.startContainer[" + std::to_string(i) + "] (" + hooks[i].path + ")";
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return errno_error("socketpair for " + name);
    UniqueFd ours(sv[0]), theirs(sv[1]);
    auto proc = enter(st, hook_process(hooks[i], spec, theirs.get()));
    theirs.reset();
    if (!proc) return std::move(proc).error().context(name);
    auto done = await_hook(proc->workload_pid, ours.get(), ours.get(), state, hooks[i].timeout, name);
    reap_monitor(proc->pid);
    EW_TRY(std::move(done));
  }
  return {};
}

}  // namespace edgeward::runtime
