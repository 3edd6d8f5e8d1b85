// The API operations of the supervisor: run, ps, inspect, stop, rm, logs.
#include <signal.h>

#include <random>

#include "runtime/daemon/restart_policy.h"
#include "runtime/daemon/supervisor.h"
#include "runtime/launch/launch.h"

namespace edgeward::daemon {
namespace {

std::string default_name(const std::string& image) {
  std::string base = image.substr(image.rfind('/') + 1);
  if (base.size() > 4 && base.substr(base.size() - 4) == ".ewi") base.resize(base.size() - 4);
  std::string clean;
  for (char c : base) clean += valid_name(std::string(1, c)) ? c : '-';
  if (clean.empty() || !valid_name(clean.substr(0, 1))) clean = "w" + clean;
  clean.resize(std::min<size_t>(clean.size(), 50));
  static std::mt19937 rng(std::random_device{}());
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "-%04x", static_cast<unsigned>(rng() & 0xffff));
  return clean + suffix;
}

}  // namespace

Response Supervisor::handle(const Request& r) {
  switch (r.op) {
    case Op::kRun: return run(r);
    case Op::kPs: return ps();
    case Op::kInspect: return inspect(r.name);
    case Op::kStop: return stop(r.name, r.timeout_s);
    case Op::kRm: return rm(r.name, r.force);
    case Op::kLogs: return logs(r.name, r.offset);
    case Op::kMetrics: {
      Response resp;
      resp.data = metrics();
      return resp;
    }
  }
  return Response::failure(Error::invalid("unknown operation"));
}

Response Supervisor::run(const Request& req) {
  auto policy = parse_restart_policy(req.restart);
  if (!policy) return Response::failure(policy.error());
  auto backend = launch::parse_backend(req.backend);
  if (!backend) return Response::failure(backend.error());
  std::string name = req.name;
  {
    std::lock_guard lock(mu_);
    if (name.empty()) {
      do name = default_name(req.image);
      while (table_.count(name) || reserved_.count(name));
    }
    if (table_.count(name) || reserved_.count(name)) {
      return Response::failure(Error::invalid("the name '" + name + "' is already in use (edgeward rm " + name + " first)"));
    }
    if (table_.size() + reserved_.size() >= kMaxWorkloads) {
      return Response::failure(Error::invalid("the daemon already has " + std::to_string(kMaxWorkloads) +
                                              " workloads; remove some with 'edgeward rm'"));
    }
    reserved_.insert(name);
  }
  const auto release = [&](const Error& e) {
    std::lock_guard lock(mu_);
    reserved_.erase(name);
    ++runs_failed_;
    return Response::failure(e);
  };

  launch::LaunchOptions o;
  o.image = req.image;
  o.ca_path = config_.ca_path;
  o.attest_dir = config_.attest_dir;
  o.workdir = workdir(name);
  o.backend = *backend;
  o.node_labels = config_.node_labels;
  o.kvm_verdict = config_.kvm_verdict;
  o.threads = config_.verify_threads;
  auto prepared = launch::launch_image(o);
  if (!prepared) return release(prepared.error());

  WorkloadRecord r;
  r.name = name;
  r.image = req.image;
  r.image_name = prepared->manifest.name + " " + prepared->manifest.version;
  r.manifest_digest = prepared->manifest_digest;
  r.signer = prepared->signer;
  r.backend_reason = prepared->backend_reason;
  r.restart = policy->text();
  r.created_unix = now_ms() / 1000;
  r.spec = prepared->workload;
  r.spec.id_pool = config_.id_pool;
  remove_logs(log_path(name), config_.logs.keep);
  std::string why;
  std::lock_guard lock(mu_);
  if (!start_container(r, &why)) {
    discard(r);
    reserved_.erase(name);
    ++runs_failed_;
    return Response::failure(Error::io("starting " + name + ": " + why));
  }
  reserved_.erase(name);
  ++runs_ok_;
  table_[name] = r;
  Response resp;
  resp.workloads.push_back(info(r));
  resp.note = r.backend_reason;
  return resp;
}

Response Supervisor::ps() {
  std::lock_guard lock(mu_);
  Response resp;
  for (const auto& [n, r] : table_) resp.workloads.push_back(info(r));
  return resp;
}

Response Supervisor::inspect(const std::string& name) {
  std::lock_guard lock(mu_);
  const auto it = table_.find(name);
  if (it == table_.end()) return Response::failure(Error::not_found("no workload named '" + name + "'"));
  Response resp;
  resp.workloads.push_back(info(it->second));
  return resp;
}

Response Supervisor::stop(const std::string& name, uint32_t timeout_s) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    const auto it = table_.find(name);
    if (it == table_.end()) return Response::failure(Error::not_found("no workload named '" + name + "'"));
    WorkloadRecord& r = it->second;
    r.stopped_by_user = true;
    if (r.phase == "restarting") r.phase = "stopped";
    persist(r);
    if (r.phase != "running") {
      Response resp;
      resp.workloads.push_back(info(r));
      return resp;
    }
    id = r.container_id;
  }
  const int grace_ms = static_cast<int>(std::min<uint32_t>(timeout_s, 3600) * 1000);
  if (!signal_and_wait(id, SIGTERM, grace_ms) && !signal_and_wait(id, SIGKILL, 10000)) {
    return Response::failure(Error::io("workload '" + name + "' did not stop after SIGKILL"));
  }
  tick();  // records the end under the policy (stopped by the user: no restart)
  return inspect(name);
}

Response Supervisor::rm(const std::string& name, bool force) {
  {
    std::lock_guard lock(mu_);
    const auto it = table_.find(name);
    if (it == table_.end()) return Response::failure(Error::not_found("no workload named '" + name + "'"));
    if (it->second.phase == "running" && !force) {
      return Response::failure(Error::invalid("workload '" + name + "' is running: stop it first or use rm --force"));
    }
  }
  if (force) {
    auto stopped = stop(name, 0);
    if (!stopped.ok()) return stopped;
  }
  std::lock_guard lock(mu_);
  const auto it = table_.find(name);
  if (it == table_.end()) return Response::failure(Error::not_found("no workload named '" + name + "'"));
  Response resp;
  resp.workloads.push_back(info(it->second));
  discard(it->second);
  table_.erase(it);
  return resp;
}

Response Supervisor::logs(const std::string& name, uint64_t offset) {
  bool ended = false;
  {
    std::lock_guard lock(mu_);
    const auto it = table_.find(name);
    if (it == table_.end()) return Response::failure(Error::not_found("no workload named '" + name + "'"));
    ended = it->second.phase == "exited" || it->second.phase == "stopped";
  }
  auto chunk = read_log(log_path(name), offset, kMaxDataBytes);
  if (!chunk) return Response::failure(chunk.error());
  Response resp;
  resp.data = std::move(chunk->data);
  resp.offset = chunk->next;
  resp.eof = ended && resp.data.empty();
  return resp;
}

}  // namespace edgeward::daemon
