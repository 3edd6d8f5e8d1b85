// The daemon's OTA updater, two duties on one thread:
//  - scheduled checks: every interval (± a random jitter, so a fleet does not call its repository
//    all at once) refresh the TUF metadata and install, in the background, newer images of the
//    workloads this device runs from OTA (they become pending); runtime and release updates are
//    only reported, since they need a restart into the other slot (`edgeward ota install`);
//  - reconciling: each OTA workload (ota-state.json) runs in the daemon under its name from the
//    image the state names. A pending image replaces the running one and is kept (made current)
//    once it stayed up for the probation period or exited 0, or dropped — with the reason, the
//    old image started again — when it exits non-zero or cannot start. A pending image that came
//    with a release on trial runs without probation: the runtime's health check decides it.
// What the last check did, and the images that failed their probation (never installed again by
// the updater), are kept in <ota state>/updater.json for `edgeward ota status`.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "ota/client/install.h"
#include "ota/client/refresh.h"
#include "ota/slots/ota_store.h"
#include "runtime/daemon/health_check.h"

namespace edgeward::daemon {

inline constexpr const char* kUpdaterFile = "updater.json";

struct OtaUpdaterConfig {
  ota::OtaLayout layout;             // state_dir "" : the updater does nothing
  ota::client::Repository repo;      // url "" : no scheduled checks, reconciling only
  ota::client::Device device;
  std::string attest_dir;            // installs are measured here ("" : not measured)
  int64_t interval_s = 3600;
  int64_t jitter_s = 600;            // each wait is interval ± up to jitter
  int64_t probation_s = 30;
  uint32_t reconcile_ms = 2000;
};

class OtaUpdater {
 public:
  OtaUpdater(OtaUpdaterConfig config, ApiCall call);

  // Until `stop`: a reconcile pass every reconcile_ms, a check when due (the first one after a
  // random part of the jitter). Logs what it does to stderr.
  void run(const std::atomic<bool>& stop);

  // One scheduled check; what it did, for the log and updater.json.
  Result<std::string> check();
  // One reconcile pass; one line per thing done.
  std::vector<std::string> reconcile();

  // Seconds until the next check: interval ± a uniform draw in [-jitter, jitter], at least 1.
  static int64_t next_wait(int64_t interval, int64_t jitter, std::mt19937_64& rng);

 private:
  struct Probation {
    std::string sha256;  // the pending image on probation
    int64_t since_ms = 0;
  };
  // Starts (or restarts) workload `name` from `image` with the restart policy it had.
  Result<std::string> start(const std::string& name, const std::string& image, const std::string& restart,
                            bool replace);
  // The verdict on a pending image that runs: "" while undecided, "healthy" or the failure.
  std::string judge(const WorkloadInfo& w, const Probation& p) const;
  void record_check(const std::string& result, int64_t next_unix);
  void load_rejected();

  OtaUpdaterConfig config_;
  ApiCall call_;
  std::map<std::string, Probation> probation_;
  std::set<std::string> rejected_;  // sha256 of images that failed probation: not installed again
  std::mt19937_64 rng_;
};

}  // namespace edgeward::daemon
