#include "runtime/daemon/supervisor.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <thread>

#include "common/dir_tree.h"
#include "common/text/writer.h"
#include "runtime/daemon/restart_policy.h"

namespace edgeward::daemon {

int64_t now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

void DaemonConfig::fill_defaults() {
  if (containers_dir.empty()) {
    const auto slash = socket_path.rfind('/');
    containers_dir = (slash == std::string::npos ? std::string(".") : socket_path.substr(0, slash)) + "/containers";
  }
  if (attest_dir.empty()) attest_dir = state_dir + "/attest";
  if (ca_path.empty()) ca_path = attest_dir + "/fleet-ca.crt";
  if (!kvm_verdict) kvm_verdict = [dir = state_dir] { return launch::kvm_verdict(dir); };
}

Result<std::unique_ptr<Supervisor>> Supervisor::open(DaemonConfig config) {
  config.fill_defaults();
  for (const std::string& d : {config.state_dir, config.workloads_dir(), config.logs_dir()}) {
    EW_TRY(make_dirs(d));
  }
  ::chmod(config.workloads_dir().c_str(), 0700);
  ::chmod(config.logs_dir().c_str(), 0750);
  EW_ASSIGN(auto root, runtime::ContainerRoot::open(config.containers_dir));
  std::unique_ptr<Supervisor> s(new Supervisor(std::move(config), std::move(root)));
  s->adopt();
  return s;
}

void Supervisor::persist(const WorkloadRecord& r) {
  if (auto st = save_record(config_.workloads_dir(), r); !st) {
    text::err() << "edgeward daemon: saving the record of " << r.name << ": " << st.error().message << "\n";
  }
}

void Supervisor::discard(const WorkloadRecord& r) {
  if (!r.container_id.empty()) (void)root_.remove(r.container_id, true);
  remove_tree(workdir(r.name));
  remove_logs(log_path(r.name), config_.logs.keep);
  delete_record(config_.workloads_dir(), r.name);
}

// Every record is matched with its container: still running -> adopted; paused before exec (the
// daemon died between create and start) -> started; ended -> its exit handled by the policy;
// gone -> ended with an unknown status. A first run that never finished is cleaned up, and so are
// containers and directories no record refers to.
void Supervisor::adopt() {
  std::lock_guard lock(mu_);
  std::vector<std::string> problems;
  std::set<std::string> known_ids;
  for (WorkloadRecord& r : load_records(config_.workloads_dir(), problems)) {
    const bool first_run = r.phase == "creating";
    auto st = r.container_id.empty() ? Result<runtime::ContainerState>(Error::not_found("")) : root_.state(r.container_id);
    if (st && st->status == runtime::Status::kCreated) {
      if (root_.start(r.container_id)) st = root_.state(r.container_id);
    }
    const bool live = st && (st->status == runtime::Status::kRunning || st->status == runtime::Status::kCreated);
    if (first_run && !live) {
      adopt_log_.push_back("cleaned up " + r.name + ": its run did not complete");
      discard(r);
      continue;
    }
    if (live && (r.phase == "creating" || r.phase == "restarting")) r.phase = "running";
    if (r.phase == "running" && !live) {
      ended(r, st && st->exit_status ? *st->exit_status : -1, st ? st->started_unix : 0);
    }
    adopt_log_.push_back("adopted " + r.name + " (" + r.phase + (live ? ", pid " + std::to_string(st->pid) : "") + ")");
    persist(r);
    known_ids.insert(r.container_id);
    table_[r.name] = std::move(r);
  }
  for (auto& p : problems) adopt_log_.push_back("ignored " + p);
  if (auto list = root_.list()) {
    for (const auto& c : *list) {
      if (known_ids.count(c.id)) continue;
      adopt_log_.push_back("removed orphan container " + c.id);
      (void)root_.remove(c.id, true);
    }
  }
  if (DIR* d = ::opendir(config_.workloads_dir().c_str())) {
    std::vector<std::string> stale, unfinished;
    while (dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (e->d_type == DT_DIR && n != "." && n != ".." && !table_.count(n)) stale.push_back(n);
      // A record write (temp + fsync + rename) a kill -9 interrupted before its rename.
      if (e->d_type == DT_REG && n.ends_with(".json.tmp")) unfinished.push_back(n);
    }
    ::closedir(d);
    for (const auto& n : unfinished) {
      adopt_log_.push_back("removed an unfinished record write, " + n);
      ::unlink((config_.workloads_dir() + "/" + n).c_str());
    }
    for (const auto& n : stale) {
      adopt_log_.push_back("removed leftover directory of " + n);
      remove_tree(workdir(n));
    }
  }
}

void Supervisor::ended(WorkloadRecord& r, int status, int64_t started_unix) {
  r.has_exit = status >= 0;
  r.exit_status = status;
  r.finished_unix = now_ms() / 1000;
  if (started_unix) r.started_unix = started_unix;
  if (started_unix && r.finished_unix - started_unix >= kBackoffResetAfter.count()) r.consecutive_failures = 0;
  auto policy = parse_restart_policy(r.restart);
  if (policy && should_restart(*policy, status, r.restarts, r.stopped_by_user)) {
    ++r.consecutive_failures;
    r.phase = "restarting";
    r.next_restart_unix_ms = now_ms() + restart_backoff(r.consecutive_failures).count();
  } else {
    r.phase = r.stopped_by_user ? "stopped" : "exited";
  }
  persist(r);
}

bool Supervisor::start_container(WorkloadRecord& r, std::string* error) {
  if (!r.container_id.empty()) (void)root_.remove(r.container_id, true);
  r.container_id = "ew-" + r.name + "-" + std::to_string(r.restarts);
  persist(r);  // the id is on disk before the container exists: a crash cannot orphan it
  runtime::ContainerSpec spec;
  spec.id = r.container_id;
  spec.annotations["io.edgeward.workload"] = r.name;
  spec.workload = r.spec;
  spec.stdio.log_file = log_path(r.name);
  auto created = root_.create(spec);
  Status st = created ? root_.start(r.container_id) : Status(std::move(created).error());
  if (!st) {
    if (error) *error = st.error().message;
    (void)root_.remove(r.container_id, true);
    return false;
  }
  r.phase = "running";
  r.has_exit = false;
  r.started_unix = now_ms() / 1000;
  persist(r);
  return true;
}

void Supervisor::tick() {
  std::lock_guard lock(mu_);
  const int64_t now = now_ms();
  for (auto& [name, r] : table_) {
    if (r.phase == "running") {
      auto st = root_.state(r.container_id);
      if (!st) {
        ended(r, -1, 0);
      } else if (st->status == runtime::Status::kStopped) {
        ended(r, st->exit_status.value_or(-1), st->started_unix);
      }
      (void)rotate_if_needed(log_path(name), config_.logs);
    }
    if (r.phase == "restarting" && now >= r.next_restart_unix_ms) {
      ++r.restarts;
      ++restarts_total_;
      std::string why;
      if (!start_container(r, &why)) {
        ++r.consecutive_failures;
        r.next_restart_unix_ms = now + restart_backoff(r.consecutive_failures).count();
        persist(r);
      }
    }
  }
}

bool Supervisor::signal_and_wait(const std::string& id, int sig, int wait_ms) {
  (void)root_.kill(id, sig);
  for (int waited = 0;; waited += 20) {
    auto st = root_.state(id);
    if (!st || st->status == runtime::Status::kStopped) return true;
    if (waited >= wait_ms) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

WorkloadInfo Supervisor::info(const WorkloadRecord& r) {
  WorkloadInfo w;
  w.name = r.name;
  w.image = r.image;
  w.image_name = r.image_name;
  w.manifest_digest = r.manifest_digest;
  w.signer = r.signer;
  w.backend = r.spec.backend == runtime::Backend::kVm ? "vm" : "sandbox";
  w.backend_reason = r.backend_reason;
  w.restart = r.restart;
  w.status = r.phase;
  w.created_unix = r.created_unix;
  w.started_unix = r.started_unix;
  w.finished_unix = r.finished_unix;
  w.has_exit = r.has_exit;
  w.exit_status = r.exit_status;
  w.restarts = r.restarts;
  w.container_id = r.container_id;
  w.log_path = log_path(r.name);
  if (r.phase == "running") {
    if (auto st = root_.state(r.container_id)) {
      w.pid = st->pid;
      if (st->started_unix) w.started_unix = st->started_unix;
      if (st->status == runtime::Status::kCreated) w.status = "created";
    }
  }
  return w;
}

std::string Supervisor::metrics() {
  std::lock_guard lock(mu_);
  text::Writer o;
  std::map<std::string, int> by_phase{{"running", 0}, {"restarting", 0}, {"exited", 0}, {"stopped", 0}};
  for (const auto& [n, r] : table_) ++by_phase[r.phase];
  o << "# HELP edgeward_workloads Workloads known to the daemon, by status.\n# TYPE edgeward_workloads gauge\n";
  for (const auto& [p, n] : by_phase) o << "edgeward_workloads{status=\"" << p << "\"} " << n << "\n";
  o << "# HELP edgeward_workload_up 1 while the workload's container runs.\n# TYPE edgeward_workload_up gauge\n";
  for (const auto& [n, r] : table_) {
    o << "edgeward_workload_up{name=\"" << n << "\",backend=\"" << (r.spec.backend == runtime::Backend::kVm ? "vm" : "sandbox")
      << "\"} " << (r.phase == "running" ? 1 : 0) << "\n";
  }
  o << "# HELP edgeward_workload_restarts_total Restarts done by the restart policy.\n"
       "# TYPE edgeward_workload_restarts_total counter\n";
  for (const auto& [n, r] : table_) o << "edgeward_workload_restarts_total{name=\"" << n << "\"} " << r.restarts << "\n";
  o << "# HELP edgeward_runs_total Run requests by outcome.\n# TYPE edgeward_runs_total counter\n"
    << "edgeward_runs_total{outcome=\"ok\"} " << runs_ok_ << "\nedgeward_runs_total{outcome=\"failed\"} " << runs_failed_
    << "\n";
  return o.str();
}

}  // namespace edgeward::daemon
