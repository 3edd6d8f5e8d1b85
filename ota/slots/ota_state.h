// The device's OTA state, one JSON file replaced atomically (file_ops.h): which runtime slot is
// active, which is on trial and how many starts it has left, what each slot holds, the workload
// images (the one in use and a pending update beside it), the anti-rollback version floors, and
// the last thing that happened (a rollback and why). Parsed strictly: it is read at every start
// and after every power cut, and a damaged file must be named, never guessed at.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace edgeward::ota {

inline constexpr const char* kSlotNames[] = {"A", "B"};

// What an update installed: the target it came from, its version and the SHA-256 of its bytes.
struct Installed {
  std::string target;     // the TUF target name ("" for a slot provisioned at the factory)
  uint64_t version = 0;
  std::string sha256;     // 64 lowercase hex digits
  std::string installed;  // RFC 3339 UTC
  bool operator==(const Installed&) const = default;
};

struct WorkloadImages {
  std::optional<Installed> current;  // in use
  std::optional<Installed> pending;  // installed beside it, kept apart until it proved healthy
  bool operator==(const WorkloadImages&) const = default;
};

// A release on trial: installed with the trial runtime as one transaction, the workload images it
// brought pending until the runtime is marked good (then all become current) or rolled back (then
// all are dropped).
struct TrialRelease {
  Installed what;                      // the release target
  std::vector<std::string> workloads;  // names whose pending image came with it
  bool operator==(const TrialRelease&) const = default;
};

struct OtaState {
  std::string active = "A";         // the slot known good
  std::string trial;                // "" or the other slot, started until marked good
  uint32_t tries_left = 0;          // starts the trial slot still gets
  std::map<std::string, std::optional<Installed>> slots{{"A", std::nullopt}, {"B", std::nullopt}};  // nullopt: empty or being written
  std::map<std::string, uint64_t> floors;  // per target: no version below it is installed again
  std::map<std::string, WorkloadImages> workloads;
  std::optional<Installed> release;           // the release the active slot came with, if any
  std::optional<TrialRelease> trial_release;  // only while `trial` came with a release
  std::string last_event;
  bool operator==(const OtaState&) const = default;

  // The slot the next start runs: the trial slot while it has tries, else the active one.
  const std::string& other(const std::string& slot) const;
};

// `where` names the file in errors.
Result<OtaState> parse_state(std::string_view json, const std::string& where);
std::string state_json(const OtaState& state);

// Target and workload names: [A-Za-z0-9._+-], 1..128 characters, not "." or "..": safe in a path.
bool valid_name(std::string_view name);

}  // namespace edgeward::ota
