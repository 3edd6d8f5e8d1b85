// What the daemon persists per workload (<state>/workloads/<name>.json, written crash-safely
// before and after every change of the container it runs in), so a restarted daemon finds every
// workload again: the image facts, the restart policy and counters, the container id, and the
// WorkloadSpec needed to start it again. The file is a container spec in the container core's
// JSON (spec_json.h) with the daemon's facts as "io.edgeward.*" annotations: one JSON codec in
// the binary instead of two.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/container/container.h"

namespace edgeward::daemon {

struct WorkloadRecord {
  std::string name;
  std::string image, image_name, manifest_digest, signer;
  std::string backend_reason;
  std::string restart = "no";
  std::string container_id;  // the current container (changes on each restart)
  std::string phase = "creating";  // creating, running, restarting, exited, stopped
  bool stopped_by_user = false;
  uint32_t restarts = 0;             // restarts done by the policy
  uint32_t consecutive_failures = 0;  // for the backoff
  int64_t created_unix = 0;
  int64_t next_restart_unix_ms = 0;   // when phase == restarting
  bool has_exit = false;
  int32_t exit_status = 0;
  int64_t started_unix = 0;   // of the current (or last) container
  int64_t finished_unix = 0;
  runtime::WorkloadSpec spec;
};

std::string encode_record(const WorkloadRecord& r);
// Refuses text that is not a record (corrupt or foreign file), naming what is wrong.
Result<WorkloadRecord> decode_record(const std::string& text);

// <dir>/<name>.json
Status save_record(const std::string& dir, const WorkloadRecord& r);
void delete_record(const std::string& dir, const std::string& name);
// Every record in `dir`; unreadable ones are reported in `problems` and skipped.
std::vector<WorkloadRecord> load_records(const std::string& dir, std::vector<std::string>& problems);

}  // namespace edgeward::daemon
