#include "attest/measure/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <memory>

#include "attest/fileio.h"
#include "attest/measure/event_log.pb.h"
#include "attest/pb_util.h"

namespace edgeward::attest {

Result<std::vector<uint8_t>> encode_state(const MeasurementState& s) {
  auto msg = std::make_unique<edgeward_attest_MeasurementState>();
  msg->boot_count = s.boot_count;
  msg->counter = s.counter;
  msg->registers_count = kRegisters;
  for (size_t i = 0; i < kRegisters; ++i) std::memcpy(msg->registers[i], s.registers[i].data(), 32);
  EW_ASSIGN(auto log, encode_event_log(s.events));
  msg->has_log = true;
  EW_TRY(pb::decode(edgeward_attest_EventLog_fields, msg->log, log, log.size(), "event log"));
  return pb::encode(edgeward_attest_MeasurementState_fields, *msg, edgeward_attest_MeasurementState_size,
                    "measurement state");
}

Result<MeasurementState> decode_state(std::span<const uint8_t> bytes) {
  auto msg = std::make_unique<edgeward_attest_MeasurementState>();
  EW_TRY(pb::decode(edgeward_attest_MeasurementState_fields, *msg, bytes, edgeward_attest_MeasurementState_size,
                    "measurement state"));
  MeasurementState s;
  s.boot_count = msg->boot_count;
  s.counter = msg->counter;
  if (msg->registers_count != kRegisters) return make_error(Errc::kMalformed, "measurement state: needs 8 registers");
  for (size_t i = 0; i < kRegisters; ++i) std::memcpy(s.registers[i].data(), msg->registers[i], 32);
  EW_ASSIGN(auto log, pb::encode(edgeward_attest_EventLog_fields, msg->log, edgeward_attest_EventLog_size, "event log"));
  EW_ASSIGN(s.events, decode_event_log(log));
  if (replay(s.events) != s.registers) {
    return make_error(Errc::kUntrusted, "measurement state: registers do not match the replayed event log (corrupt)");
  }
  if (s.counter < s.events.size()) return make_error(Errc::kUntrusted, "measurement state: counter below log size (corrupt)");
  return s;
}

Result<MeasurementStore> MeasurementStore::open(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return make_error(Errc::kIo, dir + ": cannot create the state directory: " + std::strerror(errno));
  }
  MeasurementStore store;
  store.path_ = dir + "/measurements.pb";
  EW_TRY(store.reload());
  return store;
}

Status MeasurementStore::reload() {
  auto bytes = read_file(path_, 1 << 20);
  if (!bytes) {
    if (bytes.error().code != ErrorCode::kNotFound) return std::move(bytes).error();
    state_ = {};
    return {};
  }
  auto s = decode_state(*bytes);
  if (!s) return std::move(s).error().context(path_);
  state_ = std::move(s).value();
  return {};
}

Result<Fd> MeasurementStore::lock() const {
  const std::string lock_path = path_ + ".lock";
  Fd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) return make_error(Errc::kIo, lock_path + ": cannot open: " + std::strerror(errno));
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return make_error(Errc::kIo, lock_path + ": cannot lock: " + std::strerror(errno));
  }
  return fd;
}

Status MeasurementStore::persist(const MeasurementState& s) {
  EW_ASSIGN(auto bytes, encode_state(s));
  EW_TRY(write_file_atomic(path_, bytes, 0600));
  state_ = s;
  return {};
}

Status MeasurementStore::begin_boot() {
  EW_ASSIGN(Fd held, lock());
  EW_TRY(reload());
  MeasurementState next;
  next.boot_count = state_.boot_count + 1;
  next.counter = state_.counter;
  return persist(next);
}

Status MeasurementStore::record(const Event& e) { return record_all({e}); }

Status MeasurementStore::record_all(const std::vector<Event>& events) {
  EW_ASSIGN(Fd held, lock());  // other processes (daemon, VMM, CLI) may record too:
  EW_TRY(reload());            // extend the state on disk, not a stale copy
  MeasurementState next = state_;
  for (const Event& e : events) {
    if (e.register_index >= kRegisters) return make_error(Errc::kMalformed, "event names a register past 7");
    if (e.data.size() > kMaxEventData) return make_error(Errc::kMalformed, "event data longer than 127 bytes");
    if (next.events.size() >= kMaxEvents) {
      return make_error(Errc::kIo, "event log is full (128 events this boot); restart the daemon to start a new boot");
    }
    next.events.push_back(e);
    extend(next.registers, e.register_index, e.digest);
    ++next.counter;
  }
  return persist(next);
}

}  // namespace edgeward::attest
