// ContainerRoot: the entry life cycle (create / start / state / kill / remove / list). The
// monitor side is monitor.cpp; files and locks are entry.h; JSON is spec_json.h.
#include "runtime/container/container.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "common/errno_error.h"
#include "common/text/writer.h"
#include "runtime/container/entry.h"
#include "runtime/container/hooks.h"
#include "runtime/container/process.h"
#include "runtime/container/spec_json.h"
#include "runtime/container/validate.h"

namespace edgeward::runtime {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kCreateTimeout = std::chrono::seconds(30);
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kExecWait = std::chrono::milliseconds(2000);
constexpr auto kStopTimeout = std::chrono::milliseconds(10000);

int64_t now_unix() { return static_cast<int64_t>(std::time(nullptr)); }

bool exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

Error no_such(std::string_view id) {
  return Error::not_found("container \"" + std::string(id) + "\" does not exist");
}

// The monitor's exit record, when there is a readable one: the state becomes stopped.
bool take_exit_record(ContainerState& st, const EntryPaths& paths) {
  auto text = read_text(paths.exit);
  if (!text) return false;
  auto rec = exit_from_json(*text, paths.exit);
  if (!rec) return false;
  st.status = Status::kStopped;
  st.exit_status = rec->status;
  st.finished_unix = rec->finished_unix;
  return true;
}

// Whether a sandbox's workload is past the exec gate although the FIFO is still there: it runs its
// own program, no longer the copy of the monitor that waits at the FIFO. A `start` killed between
// opening the FIFO (which releases the workload) and removing it leaves the FIFO behind a running
// workload, which is then running, not created (tests/runtime/daemon/fault-kill9 found it).
bool past_exec_gate(const ContainerState& st) {
  if (st.backend != Backend::kSandbox || st.workload_pid <= 0) return false;
  const pid_t workload = first_child(st.workload_pid);  // workload_pid is the sandbox's init
  struct stat mine{}, theirs{};
  if (workload <= 0 || ::stat(("/proc/" + std::to_string(st.pid) + "/exe").c_str(), &mine) != 0 ||
      ::stat(("/proc/" + std::to_string(workload) + "/exe").c_str(), &theirs) != 0) {
    return false;
  }
  return mine.st_dev != theirs.st_dev || mine.st_ino != theirs.st_ino;
}

// Brings a stored state up to date: the monitor's exit record, its liveness, the exec fifo.
ContainerState refresh(ContainerState st, const EntryPaths& paths) {
  if (st.status == Status::kCreating) return st;
  if (take_exit_record(st, paths)) return st;
  if (!process_alive(st.pid, st.pid_start_time)) {
    // It may have written its record and exited since the read above.
    if (take_exit_record(st, paths)) return st;
    st.status = Status::kStopped;  // killed without a record (SIGKILL of the monitor itself)
    return st;
  }
  // The init is the container's pid: whoever reaped it (a shim) may ask before the monitor has
  // written its record, which it does right after.
  if (st.init_is_pid && !exists(paths.fifo) && !process_alive(st.workload_pid, st.workload_start_time)) {
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    while (!exists(paths.exit) && process_alive(st.pid, st.pid_start_time) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (take_exit_record(st, paths)) return st;
  }
  const bool gated = exists(paths.fifo) && !past_exec_gate(st);
  st.status = gated ? Status::kCreated : exists(paths.paused) ? Status::kPaused : Status::kRunning;
  return st;
}

// The stored state; an entry whose create never finished (no state.json yet) is kCreating.
Result<ContainerState> load(const std::string& root, std::string_view id) {
  EW_TRY(validate_id(id));
  const EntryPaths paths(root, id);
  if (!exists(paths.dir)) return no_such(id);
  auto text = read_text(paths.state);
  if (!text) {
    ContainerState st;
    st.id = std::string(id);
    return st;
  }
  EW_ASSIGN(ContainerState st, state_from_json(*text, paths.state));
  return refresh(std::move(st), paths);
}

// Reads the monitor's report lines ("W<pid>", "R", "E<message>") until ready, failure or timeout
// (30 s, plus the time the create hooks may take).
edgeward::Status await_ready(int fd, pid_t& workload_pid, std::chrono::seconds hooks_time = {}) {
  std::string buf;
  const auto deadline = Clock::now() + kCreateTimeout + hooks_time;
  for (;;) {
    for (size_t nl; (nl = buf.find('\n')) != std::string::npos; buf.erase(0, nl + 1)) {
      const std::string line = buf.substr(0, nl);
      if (line.empty()) continue;
      if (line[0] == 'W') workload_pid = static_cast<pid_t>(std::atoi(line.c_str() + 1));
      if (line[0] == 'R') return {};
      if (line[0] == 'E') return Error::io(line.substr(1));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Error::io("the workload was not ready within " + std::to_string((kCreateTimeout + hooks_time).count()) + " s; gave up");
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return errno_error("poll");
    if (ready <= 0) continue;  // interrupted or timed out: the deadline check decides
    char chunk[512];
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n == 0) return Error::io("the container monitor exited before the workload was ready");
    if (n > 0) buf.append(chunk, static_cast<size_t>(n));
  }
}

bool wait_dead(const ContainerState& st, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (process_alive(st.pid, st.pid_start_time)) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// Kills the workload (the monitor then records 137 and exits) and waits for the monitor; a
// monitor without a workload yet, or one that does not exit, is killed itself.
void kill_and_wait(const ContainerState& st) {
  if (st.workload_pid > 0) {
    ::kill(st.workload_pid, SIGKILL);
    if (wait_dead(st, kStopTimeout)) return;
  }
  if (st.pid > 0 && process_alive(st.pid, st.pid_start_time)) ::kill(st.pid, SIGKILL);
  (void)wait_dead(st, std::chrono::seconds(1));
}

}  // namespace

Result<ContainerRoot> ContainerRoot::open(std::string dir) {
  if (dir.empty() || dir[0] != '/') return Error::invalid("container root must be an absolute path, got \"" + dir + "\"");
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  for (size_t i = 1; i <= dir.size(); ++i) {  // mkdir -p
    if (i == dir.size() || dir[i] == '/') {
      const std::string part = dir.substr(0, i);
      if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return errno_error("create container root " + part);
    }
  }
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return Error::invalid("container root " + dir + " is not a directory");
  return ContainerRoot(std::move(dir));
}

Result<ContainerState> ContainerRoot::create(const ContainerSpec& spec) {
  EW_TRY(validate_id(spec.id));
  EW_TRY(validate_workload(spec.workload));
  const EntryPaths paths(dir_, spec.id);
  if (mkdir(paths.dir.c_str(), 0700) != 0) {
    if (errno == EEXIST) return Error::invalid("container id \"" + spec.id + "\" is already in use (in " + dir_ + ")");
    return errno_error("create " + paths.dir);
  }
  struct Cleanup {  // nothing half-created: the entry goes unless create succeeds
    const std::string& dir;
    bool keep = false;
    ~Cleanup() {
      if (!keep) (void)remove_entry_dir(dir);
    }
  } cleanup{paths.dir};
  EW_ASSIGN(EntryLock lock, EntryLock::take(paths.dir));

  ContainerState st;
  st.id = spec.id;
  st.bundle = spec.bundle;
  st.annotations = spec.annotations;
  st.backend = spec.workload.backend;
  st.created_unix = now_unix();
  EW_TRY(write_atomic(paths.spec, spec_to_json(spec)));
  if (mkfifo(paths.fifo.c_str(), 0600) != 0) return errno_error("mkfifo " + paths.fifo);

  UniqueFd log;
  if (!spec.stdio.log_file.empty()) {
    log.reset(::open(spec.stdio.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!log.valid()) return errno_error("open the log file " + spec.stdio.log_file);
  }
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return errno_error("socketpair");
  UniqueFd report(sv[0]), monitor_end(sv[1]);
  const int stdio_fd = log.valid() ? log.get() : spec.stdio.terminal_fd;
  EW_ASSIGN(SpawnedMonitor monitor,
            spawn_detached({"edgeward", std::string(kMonitorCommand), dir_, spec.id, "3"}, {monitor_end.get()},
                           stdio_fd, log.valid()));
  monitor_end.reset();
  st.pid = monitor.pid;
  st.pid_start_time = monitor.start_time;
  // The monitor is on record before it reports: a creator killed from here on (a daemon's kill -9)
  // leaves an entry whose removal still kills the monitor and the workload waiting at the gate.
  st.status = Status::kCreating;
  if (auto w = write_atomic(paths.state, state_to_json(st)); !w) {
    kill_and_wait(st);
    return std::move(w).error();
  }

  std::chrono::seconds hooks_time{};
  for (const auto* list : {&spec.hooks.prestart, &spec.hooks.create_runtime, &spec.hooks.create_container}) {
    for (const auto& h : *list) hooks_time += std::chrono::seconds(h.timeout);
  }
  if (auto ready = await_ready(report.get(), st.workload_pid, hooks_time); !ready) {
    kill_and_wait(st);
    return std::move(ready).error().context("create " + spec.id);
  }
  st.status = Status::kCreated;
  if (const auto info = proc_info(st.workload_pid)) st.workload_start_time = info->start_time;
  st.init_is_pid = spec.workload.init_is_pid && spec.workload.backend == Backend::kSandbox;
  if (auto w = write_atomic(paths.state, state_to_json(st)); !w) {
    kill_and_wait(st);
    return std::move(w).error();
  }
  cleanup.keep = true;
  return refresh(st, paths);
}

void ContainerRoot::warn_hooks(const std::vector<Hook>& hooks, std::string_view phase, const ContainerState& st,
                               const std::string& status) const {
  if (hooks.empty()) return;
  const pid_t pid = st.init_is_pid ? st.workload_pid : st.pid;
  const std::string state = hook_state_json({st.id, status, pid, st.bundle, st.annotations});
  for (const auto& w : run_hooks_warning(hooks, phase, state, {st.bundle, 0})) {
    warning(w);
  }
}

void ContainerRoot::warning(const std::string& w) const {
  if (warn_) {
    warn_(w);
  } else {
    text::err() << "edgeward: warning: " << w << "\n";
  }
}

edgeward::Status ContainerRoot::start(std::string_view id) {
  EW_TRY(validate_id(id));
  const EntryPaths paths(dir_, id);
  if (!exists(paths.dir)) return no_such(id);
  std::optional<EntryLock> lock;  // released before the poststart hooks (they may call `state` or `delete`)
  EW_ASSIGN(lock, EntryLock::take(paths.dir));
  EW_ASSIGN(ContainerState st, load(dir_, id));
  if (st.status != Status::kCreated) {
    return Error::invalid("container \"" + std::string(id) + "\" is " + std::string(status_name(st.status)) +
                          "; only a created container can be started");
  }
  auto spec_text = read_text(paths.spec);
  auto spec = spec_text ? spec_from_json(*spec_text, paths.spec) : Result<ContainerSpec>(std::move(spec_text).error());
  if (spec && !spec->hooks.start_container.empty()) {
    if (auto s = run_start_hooks(*spec, st); !s) {
      kill_and_wait(st);  // runtime-spec: a failing startContainer hook stops the container
      return std::move(s).error().context("start " + std::string(id));
    }
  }
  UniqueFd fifo(::open(paths.fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fifo.valid()) return errno_error("open " + paths.fifo);
  const auto deadline = Clock::now() + kStartTimeout;
  for (;;) {
    pollfd p{fifo.get(), POLLIN, 0};
    if (poll(&p, 1, 100) > 0 && (p.revents & POLLIN)) {
      char b = 0;
      if (read(fifo.get(), &b, 1) == 1) break;
    }
    if (!process_alive(st.pid, st.pid_start_time)) {
      return Error::io("container \"" + std::string(id) + "\" stopped before it could start");
    }
    if (Clock::now() > deadline) return Error::io("container \"" + std::string(id) + "\" did not start within 10 s");
  }
  // The workload is released, but its program runs only once the sandbox's init and the
  // workload's filter are in place; `state` says running (and `kill` reaches the program, not
  // the sandbox's set-up code) once it has executed, as far as a bounded wait allows.
  if (st.backend == Backend::kSandbox) (void)wait_for_workload_exec(st.workload_pid, kExecWait);
  unlink(paths.fifo.c_str());
  st.status = Status::kRunning;
  st.started_unix = now_unix();
  EW_TRY(write_atomic(paths.state, state_to_json(st)));
  lock.reset();
  if (!spec) {
    warning("the startContainer and poststart hooks (if any) were not run: " + spec.error().message);
    return {};
  }
  warn_hooks(spec->hooks.poststart, "hooks.poststart", st, "running");
  return {};
}

Result<ContainerState> ContainerRoot::state(std::string_view id) { return load(dir_, id); }

edgeward::Status ContainerRoot::kill(std::string_view id, int signal, bool all) {
  if (signal < 0 || signal > SIGRTMAX) return Error::invalid("invalid signal number " + std::to_string(signal));
  EW_ASSIGN(ContainerState st, load(dir_, id));
  const std::string name = "container \"" + std::string(id) + "\"";
  if (st.status == Status::kStopped || st.status == Status::kCreating) {
    return Error::invalid("cannot signal " + name + ": container not running (it is " +
                          std::string(status_name(st.status)) + ")");
  }
  const auto workload = proc_info(st.workload_pid);
  const bool gone = st.workload_start_time ? !process_alive(st.workload_pid, st.workload_start_time)
                                           : !workload || workload->ppid != st.pid;
  if (gone) {
    return Error::invalid("cannot signal " + name + ": container not running (its workload has exited)");
  }
  // KILL and STOP cannot be caught: straight to the workload. Others go through the monitor,
  // which forwards them and so knows how the workload was stopped. In the sandbox the workload's
  // first process is the namespace's init: KILL ends the whole namespace there, STOP goes to the
  // init's child, the process itself (runtime/sandbox/init.h).
  // --all (running): every process of the container's cgroup but the init, which would forward it
  // to the workload a second time; without usable cgroups, as without --all.
  if (all && st.backend == Backend::kSandbox && st.status == Status::kRunning) {
    if (auto groups = ContainerCgroups::of(st.workload_pid)) {
      if (auto s = groups->signal_all(signal, st.workload_pid); !s) return std::move(s).error().context("signal " + name);
      return {};
    }
  }
  pid_t target = signal == SIGKILL || signal == SIGSTOP ? st.workload_pid : st.pid;
  if (signal == SIGSTOP && st.backend == Backend::kSandbox) target = first_child(st.workload_pid);
  if (target <= 0) return Error::invalid("cannot signal " + name + ": container not running (its process has exited)");
  if (::kill(target, signal) != 0) return errno_error("signal " + name);
  return {};
}

edgeward::Status ContainerRoot::remove(std::string_view id, bool force) {
  EW_TRY(validate_id(id));
  const EntryPaths paths(dir_, id);
  if (!exists(paths.dir)) return no_such(id);
  EW_ASSIGN(EntryLock lock, EntryLock::take(paths.dir));
  auto loaded = load(dir_, id);
  if (!loaded) {
    if (force && loaded.error().code == ErrorCode::kInvalidInput) return remove_entry_dir(paths.dir);  // damaged
    return std::move(loaded).error();
  }
  const ContainerState st = std::move(loaded).value();
  if ((st.status == Status::kRunning || st.status == Status::kPaused) && !force) {
    return Error::invalid("container \"" + std::string(id) + "\" is " + std::string(status_name(st.status)) +
                          "; stop it first (kill) or delete it with --force");
  }
  if (st.status == Status::kPaused) {  // frozen processes would not die of the KILL
    if (auto g = ContainerCgroups::of(st.workload_pid)) (void)g->freeze(false);
  }
  if (st.status != Status::kStopped && st.backend == Backend::kSandbox && process_alive(st.workload_pid, st.workload_start_time)) {
    // Not only the init: in a joined pid namespace its end does not end the rest.
    if (auto g = ContainerCgroups::of(st.workload_pid)) (void)g->signal_all(SIGKILL);
  }
  if (st.status != Status::kStopped) kill_and_wait(st);
  if (auto freezer = read_text(paths.freezer)) rmdir(freezer->c_str());  // pause's group, empty now
  auto spec_text = read_text(paths.spec);
  auto spec = spec_text ? spec_from_json(*spec_text, paths.spec) : Result<ContainerSpec>(std::move(spec_text).error());
  EW_TRY(remove_entry_dir(paths.dir));
  if (!spec) {
    warning("the poststop hooks (if any) were not run: " + spec.error().message);
    return {};
  }
  warn_hooks(spec->hooks.poststop, "hooks.poststop", st, "stopped");
  return {};
}

Result<pid_t> ContainerRoot::exec(std::string_view id, const ExecSpec& e) {
  EW_ASSIGN(ContainerState st, load(dir_, id));
  const std::string name = "container \"" + std::string(id) + "\"";
  if (st.status != Status::kRunning) {
    return Error::invalid("cannot exec in " + name + ": it is " + std::string(status_name(st.status)) + ", not running");
  }
  EW_ASSIGN(ContainerState proc, enter(st, e));
  return proc.workload_pid;
}

Result<ContainerState> ContainerRoot::enter(const ContainerState& st, const ExecSpec& e) {
  const std::string_view id = st.id;
  const std::string name = "container \"" + std::string(id) + "\"";
  if (st.backend != Backend::kSandbox || !st.init_is_pid) {
    return Error::unsupported("cannot exec in " + name + ": exec is supported for sandbox containers made by the OCI runtime");
  }
  if (e.argv.empty() || e.argv[0].empty()) return Error::invalid("exec: no command to run (process args are empty)");
  const EntryPaths paths(dir_, id);
  EW_ASSIGN(std::string text, read_text(paths.spec));
  EW_ASSIGN(ContainerSpec spec, spec_from_json(text, paths.spec));
  WorkloadSpec& w = spec.workload;
  w.argv = e.argv;
  if (e.env_extends_container) {
    w.env.insert(w.env.end(), e.env.begin(), e.env.end());
  } else {
    w.env = e.env;
  }
  w.cwd = e.cwd;
  w.identity.uid = e.uid;
  w.identity.gid = e.gid;
  w.identity.additional_gids = e.additional_gids;
  w.process = e.process;
  spec.stdio = e.stdio;
  static int serial = 0;
  const std::string file = paths.dir + "/exec-" + std::to_string(getpid()) + "-" + std::to_string(serial++) + ".json";
  EW_TRY(write_atomic(file, spec_to_json(spec)));
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return errno_error("socketpair");
  UniqueFd report(sv[0]), monitor_end(sv[1]);
  auto monitor = spawn_detached({"edgeward", std::string(kMonitorCommand), dir_, std::string(id), "3", file},
                                {monitor_end.get()}, e.stdio.terminal_fd, false);
  monitor_end.reset();
  if (!monitor) {
    unlink(file.c_str());
    return std::move(monitor).error();
  }
  ContainerState proc;
  proc.pid = monitor->pid;
  proc.pid_start_time = monitor->start_time;
  if (auto ready = await_ready(report.get(), proc.workload_pid); !ready) {
    kill_and_wait(proc);
    unlink(file.c_str());
    return std::move(ready).error().context("exec in " + name);
  }
  return proc;
}

Result<std::vector<ContainerState>> ContainerRoot::list() {
  DIR* d = opendir(dir_.c_str());
  if (!d) return errno_error("open " + dir_);
  std::vector<std::string> ids;
  for (dirent* e; (e = readdir(d)) != nullptr;) {
    if (validate_id(e->d_name)) ids.push_back(e->d_name);
  }
  closedir(d);
  std::vector<ContainerState> out;
  for (const auto& id : ids) {
    auto st = load(dir_, id);
    if (st) out.push_back(std::move(st).value());
  }
  return out;
}

}  // namespace edgeward::runtime
