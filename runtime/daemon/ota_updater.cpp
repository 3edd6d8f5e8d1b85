// The daemon's OTA updater (see ota_updater.h).
#include "runtime/daemon/ota_updater.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "attest/fileio.h"
#include "common/text/writer.h"
#include "common/utc_time.h"
#include "ota/client/delta_download.h"
#include "ota/client/measure_install.h"
#include "ota/client/target_download.h"
#include "runtime/daemon/supervisor.h"

namespace edgeward::daemon {
namespace {

namespace oc = ota::client;

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// An OTA workload as the reconcile pass needs it, read under the state's lock.
struct Wanted {
  std::string name;
  std::string image;           // the file the daemon must run
  std::string pending_sha256;  // "" unless `image` is a pending image on probation
};

}  // namespace

OtaUpdater::OtaUpdater(OtaUpdaterConfig config, ApiCall call)
    : config_(std::move(config)), call_(std::move(call)), rng_(std::random_device{}()) {}

int64_t OtaUpdater::next_wait(int64_t interval, int64_t jitter, std::mt19937_64& rng) {
  if (jitter <= 0) return std::max<int64_t>(1, interval);
  std::uniform_int_distribution<int64_t> draw(-jitter, jitter);
  return std::max<int64_t>(1, interval + draw(rng));
}

void OtaUpdater::run(const std::atomic<bool>& stop) {
  if (config_.layout.state_dir.empty()) return;
  load_rejected();
  auto log = [](const std::string& line) { text::err() << "edgeward daemon: OTA: " << line << "\n"; };
  const bool scheduled = !config_.repo.url.empty();
  int64_t next_check_ms = 0;
  if (scheduled) {
    const int64_t first = next_wait(0, config_.jitter_s, rng_);  // a random part of the jitter
    next_check_ms = now_ms() + first * 1000;
    log("checking " + config_.repo.url + " every " + std::to_string(config_.interval_s) + " s ± " +
        std::to_string(config_.jitter_s) + " s, first in " + std::to_string(first) + " s");
  }
  while (!stop.load()) {
    for (const auto& line : reconcile()) log(line);
    if (scheduled && now_ms() >= next_check_ms) {
      auto r = check();
      const std::string result = r ? *r : "check failed: " + r.error().message;
      const int64_t wait = next_wait(config_.interval_s, config_.jitter_s, rng_);
      next_check_ms = now_ms() + wait * 1000;
      log(result + " (next check in " + std::to_string(wait) + " s)");
      record_check(result, static_cast<int64_t>(std::time(nullptr)) + wait);
      continue;  // reconcile at once: an update may be pending now
    }
    for (uint32_t slept = 0; slept < config_.reconcile_ms && !stop.load(); slept += 100) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

Result<std::string> OtaUpdater::check() {
  const std::string& dir = config_.layout.state_dir;
  EW_ASSIGN(oc::Refreshed r, oc::refresh(ota::system_file_ops(), dir + "/tuf", config_.repo,
                                         static_cast<int64_t>(std::time(nullptr))));
  EW_ASSIGN(ota::OtaStore store, ota::OtaStore::open(config_.layout));
  std::vector<std::string> done, available;
  for (const auto& [name, file] : r.targets.targets) {
    const oc::TargetInfo t = oc::describe_target(name, file);
    const ota::OtaState& st = store.state();
    if (t.kind == "workload") {
      const std::string w = oc::default_workload_name(name);
      const auto it = st.workloads.find(w);
      if (it == st.workloads.end() || !it->second.current) continue;  // not run from OTA here
      if (st.trial_release && std::count(st.trial_release->workloads.begin(), st.trial_release->workloads.end(), w)) continue;
      if (oc::update_status(&st, t, w) != "newer" || rejected_.count(t.sha256)) continue;
      oc::DeltaOutcome delta;  // chunked delta when published, reusing the images already here
      auto path = oc::download_target_delta(config_.repo, dir + "/downloads", name, r.targets.targets,
                                            r.root.consistent_snapshot,
                                            oc::local_chunk_files(dir, config_.layout.slot_dirs), {}, delta);
      if (path) (void)oc::record_delta_outcome(dir, name, delta, file.length);  // status only
      if (!path) {
        done.push_back(w + ": " + path.error().message);
        continue;
      }
      auto installed = oc::install_target(store, t, *path, w, config_.device);
      ::unlink(path->c_str());
      done.push_back(installed ? *installed : w + ": " + installed.error().message);
      if (installed && !config_.attest_dir.empty()) {
        if (auto m = oc::measure_install(config_.attest_dir, {oc::install_event(t, w)}); !m) {
          done.back() += " (not measured: " + m.error().message + ")";
        }
      }
    } else if ((t.kind == "runtime" || t.kind == "release") && oc::check_installable(t, config_.device).ok() &&
               oc::update_status(&st, t, "") == "newer") {
      available.push_back(t.kind + " " + name + (t.version ? " version " + std::to_string(*t.version) : ""));
    }
  }
  std::string summary = "targets v" + std::to_string(r.targets.common.version) + ": " +
                        (done.empty() ? std::string("no workload update") : join(done, "; "));
  if (!available.empty()) {
    summary += "; available, to install with `edgeward ota install`: " + join(available, ", ");
  }
  return summary;
}

std::vector<std::string> OtaUpdater::reconcile() {
  std::vector<std::string> lines;
  std::vector<Wanted> wanted;
  {
    auto store = ota::OtaStore::open(config_.layout, ota::system_file_ops(), ota::LockWait::kNoWait);
    if (!store) return lines;  // not provisioned, or an install holds the state: next pass
    const ota::OtaState& st = store->state();
    for (const auto& [name, images] : st.workloads) {
      const auto& image = images.pending ? images.pending : images.current;
      if (!image || !valid_name(name)) continue;
      const bool with_release =
          st.trial_release && std::count(st.trial_release->workloads.begin(), st.trial_release->workloads.end(), name);
      wanted.push_back({name, store->workload_file(name, *image),
                        images.pending && !with_release ? images.pending->sha256 : ""});
    }
  }
  for (const Wanted& w : wanted) {
    auto info = call_(Request{.op = Op::kInspect, .name = w.name});
    if (!info && info.error().code != ErrorCode::kNotFound) continue;  // the daemon is busy or stopping
    const bool running = info && !info->workloads.empty();
    if (!running || info->workloads[0].image != w.image) {
      auto started = start(w.name, w.image, running ? info->workloads[0].restart : "on-failure", running);
      lines.push_back(started ? *started : "workload " + w.name + ": " + started.error().message);
      if (!w.pending_sha256.empty()) {
        probation_[w.name] = {w.pending_sha256, now_ms()};
        if (!started) probation_[w.name].since_ms = -1;  // could not even start: failed
      } else {
        probation_.erase(w.name);
      }
      if (started || w.pending_sha256.empty()) continue;
    }
    if (w.pending_sha256.empty()) {
      probation_.erase(w.name);
      continue;
    }
    Probation& p = probation_[w.name];
    if (p.sha256 != w.pending_sha256) p = {w.pending_sha256, now_ms()};  // e.g. adopted after a daemon restart
    const std::string verdict = p.since_ms < 0 ? "it could not be started" : running ? judge(info->workloads[0], p) : "";
    if (verdict.empty()) continue;
    auto store = ota::OtaStore::open(config_.layout, ota::system_file_ops(), ota::LockWait::kNoWait);
    if (!store) continue;
    const auto& now = store->state().workloads.at(w.name);
    if (!now.pending || now.pending->sha256 != p.sha256) {  // superseded meanwhile
      probation_.erase(w.name);
      continue;
    }
    if (verdict != "healthy") rejected_.insert(p.sha256);
    const Status s = verdict == "healthy" ? store->workload_healthy(w.name) : store->workload_failed(w.name, verdict);
    lines.push_back(s ? store->state().last_event : "workload " + w.name + ": " + s.error().message);
    probation_.erase(w.name);  // failed: the next pass starts the current image again
  }
  return lines;
}

Result<std::string> OtaUpdater::start(const std::string& name, const std::string& image, const std::string& restart,
                                      bool replace) {
  if (replace) (void)call_(Request{.op = Op::kRm, .name = name, .force = true});
  EW_ASSIGN(Response r, call_(Request{.op = Op::kRun, .name = name, .image = image, .backend = "auto", .restart = restart}));
  return std::string(replace ? "restarted" : "started") + " workload " + name + " from " + image;
}

std::string OtaUpdater::judge(const WorkloadInfo& w, const Probation& p) const {
  if (w.status == "exited") {
    if (w.has_exit && w.exit_status == 0) return "healthy";
    return "it exited with status " + std::to_string(w.exit_status) + " during its probation";
  }
  if (w.status == "restarting") return "it failed (status " + std::to_string(w.exit_status) + ") and was restarting";
  // The updater starts the image afresh for its probation: a restart since then is a failure even
  // when the restarted instance happens to be running when it is looked at.
  if (w.restarts > 0) {
    return "it failed (status " + std::to_string(w.exit_status) + ") and was restarted " + std::to_string(w.restarts) +
           " time(s) during its probation";
  }
  if (w.status == "running" && now_ms() - p.since_ms >= config_.probation_s * 1000) return "healthy";
  return "";  // still on probation, or stopped by hand
}

void OtaUpdater::load_rejected() {
  auto text = attest::read_text_file(config_.layout.state_dir + "/" + kUpdaterFile, 256 * 1024);
  if (!text) return;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("rejected") || !j["rejected"].is_array()) return;
  for (const auto& sha : j["rejected"]) {
    if (sha.is_string() && sha.get<std::string>().size() == 64) rejected_.insert(sha.get<std::string>());
  }
}

void OtaUpdater::record_check(const std::string& result, int64_t next_unix) {
  const nlohmann::ordered_json j{{"repository", config_.repo.url},
                                 {"last_check", rfc3339_utc(static_cast<int64_t>(std::time(nullptr)))},
                                 {"result", result},
                                 {"next_check", rfc3339_utc(next_unix)},
                                 {"rejected", rejected_}};
  const std::string path = config_.layout.state_dir + "/" + kUpdaterFile;
  if (auto s = ota::durable_replace(ota::system_file_ops(), path, j.dump(2) + "\n"); !s) {
    text::err() << "edgeward daemon: OTA: cannot record the check in " << path << ": " << s.error().message << "\n";
  }
}

}  // namespace edgeward::daemon
