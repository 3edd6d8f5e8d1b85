#include "attest/measure/event_log.h"

#include <memory>

#include "attest/measure/event_log.pb.h"
#include "attest/pb_util.h"

namespace edgeward::attest {

static_assert(static_cast<int>(EventType::kOtaInstall) == edgeward_attest_EventType_EV_OTA_INSTALL,
              "EventType and event_log.proto must agree (and kOtaInstall must stay the last type)");

std::string_view event_type_name(EventType t) {
  switch (t) {
    case EventType::kRuntimeBinary: return "runtime-binary";
    case EventType::kOtaSlot: return "ota-slot";
    case EventType::kImageManifest: return "image-manifest";
    case EventType::kImageComponent: return "image-component";
    case EventType::kLaunchConfig: return "launch-config";
    case EventType::kOtaInstall: return "ota-install";
  }
  return "?";
}

void extend(Registers& regs, uint32_t index, const Digest& digest) {
  Sha256 h;
  h.update(regs[index]);
  h.update(digest);
  regs[index] = h.finish();
}

Registers replay(std::span<const Event> events) {
  Registers regs{};
  for (const Event& e : events) extend(regs, e.register_index, e.digest);
  return regs;
}

Result<std::vector<uint8_t>> encode_event_log(std::span<const Event> events) {
  if (events.size() > kMaxEvents) return make_error(Errc::kMalformed, "event log: more than 128 events");
  auto msg = std::make_unique<edgeward_attest_EventLog>();
  msg->events_count = static_cast<pb_size_t>(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    auto& out = msg->events[i];
    out.register_index = events[i].register_index;
    out.type = static_cast<edgeward_attest_EventType>(events[i].type);
    std::memcpy(out.digest, events[i].digest.data(), 32);
    if (!pb::put_bytes(out.data, std::span(reinterpret_cast<const uint8_t*>(events[i].data.data()), events[i].data.size()))) {
      return make_error(Errc::kMalformed, "event log: event data longer than 128 bytes");
    }
  }
  return pb::encode(edgeward_attest_EventLog_fields, *msg, edgeward_attest_EventLog_size, "event log");
}

Result<std::vector<Event>> decode_event_log(std::span<const uint8_t> bytes) {
  auto msg = std::make_unique<edgeward_attest_EventLog>();
  EW_TRY(pb::decode(edgeward_attest_EventLog_fields, *msg, bytes, edgeward_attest_EventLog_size, "event log"));
  std::vector<Event> out;
  for (pb_size_t i = 0; i < msg->events_count; ++i) {
    const auto& in = msg->events[i];
    if (in.register_index >= kRegisters) {
      return make_error(Errc::kMalformed, "event log: event " + std::to_string(i) + " names register " +
                                              std::to_string(in.register_index) + " (there are 8)");
    }
    const int64_t type = pb::enum_value(in.type);
    if (type < edgeward_attest_EventType_EV_RUNTIME_BINARY || type > edgeward_attest_EventType_EV_OTA_INSTALL) {
      return make_error(Errc::kMalformed, "event log: event " + std::to_string(i) + " has unknown type " +
                                              std::to_string(type));
    }
    Event e;
    e.register_index = in.register_index;
    e.type = static_cast<EventType>(type);
    std::memcpy(e.digest.data(), in.digest, 32);
    e.data.assign(reinterpret_cast<const char*>(in.data.bytes), in.data.size);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace edgeward::attest
