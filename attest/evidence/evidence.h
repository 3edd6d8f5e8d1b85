// Signed attestation evidence (evidence/evidence.proto): produced by the device on request,
// checked by the verifier. decode_evidence is the parser for hostile bytes (fuzzed); it checks
// structure only. Trust decisions are in verifier/.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "attest/crypto/cert.h"
#include "attest/evidence/ota_claims.h"
#include "attest/identity/keystore.h"
#include "attest/measure/event_log.h"
#include "attest/measure/store.h"
#include "common/result.h"
#include "common/version.h"

namespace edgeward::attest {

constexpr size_t kMinNonce = 8;
constexpr size_t kMaxNonce = 64;
constexpr size_t kMaxEvidenceBytes = 28 * 1024;

struct Claims {
  std::vector<uint8_t> nonce;
  std::string device_id;
  std::string board;
  Version runtime;
  Registers registers{};
  std::vector<Event> events;
  uint64_t boot_count = 0;
  uint64_t counter = 0;
  uint64_t time_unix_ms = 0;
  uint64_t uptime_ms = 0;
  std::string workload;
  std::optional<OtaClaims> ota;  // absent: no OTA state on the device

  bool operator==(const Claims&) const = default;
};

struct Evidence {
  std::vector<uint8_t> claims_bytes;  // what the signature covers
  Claims claims;
  std::vector<uint8_t> signature;
  std::vector<uint8_t> device_cert;  // DER
};

Result<std::vector<uint8_t>> encode_claims(const Claims& c);
Result<Claims> decode_claims(std::span<const uint8_t> bytes);

// The digest the attestation key signs: SHA-256("edgeward-evidence-v1\0" || claims).
Digest evidence_digest(std::span<const uint8_t> claims_bytes);

// Builds and signs evidence for `nonce` from the current measurement state and, when the device
// has them, its OTA facts (evidence/ota_facts.h gathers them from the OTA state directory).
Result<std::vector<uint8_t>> make_evidence(const KeyStore& keys, const CertChain& device_cert,
                                           const std::string& device_id, const MeasurementState& state,
                                           std::span<const uint8_t> nonce, const std::string& workload,
                                           const std::optional<OtaClaims>& ota = std::nullopt);

Result<Evidence> decode_evidence(std::span<const uint8_t> bytes);

}  // namespace edgeward::attest
