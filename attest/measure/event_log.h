// The measured-launch event log and its registers. Extending register i with digest d sets
// R[i] = SHA-256(R[i] || d) (TPM PCR semantics); replaying a log from zeroed registers must give
// the reported registers, which is how a verifier checks that the log is the one measured.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/result.h"

namespace edgeward::attest {

constexpr size_t kRegisters = 8;
constexpr size_t kMaxEvents = 128;
constexpr size_t kMaxEventData = 127;

// Register assignment.
enum RegisterIndex : uint32_t {
  kRegRuntime = 0,    // the edgeward binary
  kRegOtaSlot = 1,    // the active OTA slot
  kRegManifest = 2,   // workload manifests
  kRegComponent = 3,  // workload components
  kRegLaunch = 4,     // launch configurations
  kRegOtaInstall = 5, // installed OTA updates (measure/ota_event.h); R1 keeps only the slot booted
};

enum class EventType : uint32_t {
  kRuntimeBinary = 1,
  kOtaSlot = 2,
  kImageManifest = 3,
  kImageComponent = 4,
  kLaunchConfig = 5,
  kOtaInstall = 6,  // the last type: decode_event_log refuses anything above it
};
std::string_view event_type_name(EventType t);

struct Event {
  uint32_t register_index = 0;
  EventType type = EventType::kRuntimeBinary;
  Digest digest{};
  std::string data;

  bool operator==(const Event&) const = default;
};

using Registers = std::array<Digest, kRegisters>;

void extend(Registers& regs, uint32_t index, const Digest& digest);
// Registers obtained by extending zeroed registers with every event in order.
Registers replay(std::span<const Event> events);

Result<std::vector<uint8_t>> encode_event_log(std::span<const Event> events);
// Parser for hostile bytes (fuzzed): bounded counts and sizes, known types, valid indices.
Result<std::vector<Event>> decode_event_log(std::span<const uint8_t> bytes);

}  // namespace edgeward::attest
