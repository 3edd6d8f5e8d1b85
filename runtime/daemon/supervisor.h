// The daemon's workload table: runs images (through runtime/launch and the container core),
// follows their containers, applies restart policies, rotates their logs, and keeps a record of
// each on disk (record.h) so that a restarted daemon re-adopts what still runs and cleans up what
// was half-created. Thread-safe: the server's connection threads and the supervision thread call it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/container/container.h"
#include "runtime/daemon/log_rotation.h"
#include "runtime/daemon/protocol.h"
#include "runtime/daemon/record.h"
#include "runtime/launch/kvm_calibration.h"

namespace edgeward::daemon {

struct DaemonConfig {
  std::string state_dir = "/var/lib/edgeward";
  std::string socket_path = "/run/edgeward/edgeward.sock";
  std::string containers_dir;  // default <dirname(socket)>/containers
  std::string ca_path;         // default <state>/attest/fleet-ca.crt
  std::string attest_dir;      // default <state>/attest
  std::optional<gid_t> group;  // API access besides root
  LogLimits logs;
  std::string slot = "A";      // active OTA slot, measured at start
  std::vector<std::pair<std::string, std::string>> node_labels;
  std::optional<sandbox::IdPool> id_pool;  // its board's <userns> (sandbox/id_range.h); none: the build's board's
  std::function<launch::KvmVerdict()> kvm_verdict;  // default: calibrated, cached in state_dir
  unsigned verify_threads = 2;

  void fill_defaults();
  std::string workloads_dir() const { return state_dir + "/workloads"; }
  std::string logs_dir() const { return state_dir + "/logs"; }
};

class Supervisor {
 public:
  // Opens the container root and re-adopts every recorded workload (see adopt()).
  static Result<std::unique_ptr<Supervisor>> open(DaemonConfig config);

  Response handle(const Request& r);
  // One supervision step: notices ended containers, applies restart policies, rotates logs.
  void tick();
  // Prometheus text exposition of the workloads (the server adds its own counters).
  std::string metrics();
  // What adopt() found at start, for the daemon's log.
  const std::vector<std::string>& adopt_log() const { return adopt_log_; }

 private:
  Supervisor(DaemonConfig config, runtime::ContainerRoot root) : config_(std::move(config)), root_(std::move(root)) {}
  void adopt();

  Response run(const Request& r);
  Response ps();
  Response inspect(const std::string& name);
  Response stop(const std::string& name, uint32_t timeout_s);
  Response rm(const std::string& name, bool force);
  Response logs(const std::string& name, uint64_t offset);

  // Under mu_: what a record and its container look like to a client.
  WorkloadInfo info(const WorkloadRecord& r);
  // Under mu_: the container of a running record ended with `status` (-1 unknown).
  void ended(WorkloadRecord& r, int status, int64_t started_unix);
  // Under mu_: starts a fresh container for the record; false (and backoff) when that fails.
  bool start_container(WorkloadRecord& r, std::string* error);
  // Without mu_: signals the container and waits until it stopped or `wait_ms` passed.
  bool signal_and_wait(const std::string& container_id, int sig, int wait_ms);
  void persist(const WorkloadRecord& r);
  // Removes the container, files and record of a workload (not the table entry).
  void discard(const WorkloadRecord& r);
  std::string workdir(const std::string& name) const { return config_.workloads_dir() + "/" + name; }
  std::string log_path(const std::string& name) const { return config_.logs_dir() + "/" + name + ".log"; }

  DaemonConfig config_;
  runtime::ContainerRoot root_;
  std::mutex mu_;
  std::map<std::string, WorkloadRecord> table_;
  std::set<std::string> reserved_;  // names whose run is in progress
  std::vector<std::string> adopt_log_;
  uint64_t runs_ok_ = 0, runs_failed_ = 0, restarts_total_ = 0;
};

int64_t now_ms();

}  // namespace edgeward::daemon
