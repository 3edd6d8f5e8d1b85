// The persisted measurement state of a device: registers, this boot's event log, boot count and
// the monotonic event counter, in one file (<state dir>/measurements.pb). Every change is written
// crash-safely (temporary + fsync + rename + fsync of the directory) before it is reported done,
// so after a power cut the file holds either the state before or after the last extension.
// On load, the registers must equal the replay of the log, or the file is refused as corrupt.
// Several processes may share a state directory: each change takes an exclusive lock
// (<dir>/measurements.pb.lock), re-reads the file and extends what is on disk.
#pragma once

#include <string>
#include <vector>

#include "attest/fileio.h"
#include "attest/measure/event_log.h"
#include "common/result.h"

namespace edgeward::attest {

struct MeasurementState {
  uint64_t boot_count = 0;
  uint64_t counter = 0;
  Registers registers{};
  std::vector<Event> events;

  bool operator==(const MeasurementState&) const = default;
};

Result<std::vector<uint8_t>> encode_state(const MeasurementState& s);
Result<MeasurementState> decode_state(std::span<const uint8_t> bytes);

class MeasurementStore {
 public:
  // Loads <dir>/measurements.pb, or starts empty when it does not exist yet.
  static Result<MeasurementStore> open(const std::string& dir);

  // A new boot: increments the boot count, zeroes the registers, clears the log.
  Status begin_boot();
  // Appends one event and extends its register; persisted before returning.
  Status record(const Event& e);
  // Appends several events atomically (all or none are persisted).
  Status record_all(const std::vector<Event>& events);

  // The state as of the last open, reload or change by this object.
  const MeasurementState& state() const { return state_; }
  Status reload();
  const std::string& path() const { return path_; }

 private:
  Result<Fd> lock() const;
  Status persist(const MeasurementState& s);
  std::string path_;
  MeasurementState state_;
};

}  // namespace edgeward::attest
