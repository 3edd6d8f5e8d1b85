#include "attest/evidence/evidence.h"

#include <ctime>
#include <memory>

#include "attest/evidence/evidence.pb.h"
#include "attest/evidence/ota_claims_codec.h"
#include "attest/pb_util.h"
#include "common/board/embedded_boards.h"

namespace edgeward::attest {
namespace {

Error bad(const std::string& m) { return make_error(Errc::kMalformed, "evidence: " + m); }

uint64_t clock_ms(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

}  // namespace

Result<std::vector<uint8_t>> encode_claims(const Claims& c) {
  auto msg = std::make_unique<edgeward_attest_Claims>();
  EW_ASSIGN(auto version, encode_version(c.runtime));
  EW_ASSIGN(auto log, encode_event_log(c.events));
  if (!pb::put_bytes(msg->nonce, c.nonce) || !pb::put_string(msg->device_id, c.device_id) ||
      !pb::put_string(msg->board, c.board) || !pb::put_bytes(msg->runtime_version, version) ||
      !pb::put_bytes(msg->event_log, log) || !pb::put_string(msg->workload, c.workload)) {
    return bad("a claim is too large (see attest/evidence/evidence.options)");
  }
  msg->registers_count = kRegisters;
  for (size_t i = 0; i < kRegisters; ++i) std::memcpy(msg->registers[i], c.registers[i].data(), 32);
  msg->boot_count = c.boot_count;
  msg->counter = c.counter;
  msg->time_unix_ms = c.time_unix_ms;
  msg->uptime_ms = c.uptime_ms;
  msg->has_ota = c.ota.has_value();
  if (c.ota) EW_TRY(put_ota_claims(*c.ota, msg->ota));
  return pb::encode(edgeward_attest_Claims_fields, *msg, edgeward_attest_Claims_size, "claims");
}

Result<Claims> decode_claims(std::span<const uint8_t> bytes) {
  auto msg = std::make_unique<edgeward_attest_Claims>();
  EW_TRY(pb::decode(edgeward_attest_Claims_fields, *msg, bytes, edgeward_attest_Claims_size, "claims"));
  Claims c;
  c.nonce = pb::get_bytes(msg->nonce);
  c.device_id = msg->device_id;
  c.board = msg->board;
  auto version = decode_version(pb::get_bytes(msg->runtime_version));
  if (!version) return bad("runtime version: " + version.error().message);
  c.runtime = std::move(version).value();
  if (msg->registers_count != kRegisters) return bad("needs exactly 8 registers");
  for (size_t i = 0; i < kRegisters; ++i) std::memcpy(c.registers[i].data(), msg->registers[i], 32);
  auto events = decode_event_log(pb::get_bytes(msg->event_log));
  if (!events) return std::move(events).error().context("evidence");
  c.events = std::move(events).value();
  c.boot_count = msg->boot_count;
  c.counter = msg->counter;
  c.time_unix_ms = msg->time_unix_ms;
  c.uptime_ms = msg->uptime_ms;
  c.workload = msg->workload;
  if (msg->has_ota) {
    EW_ASSIGN(c.ota, get_ota_claims(msg->ota));
  }
  return c;
}

Digest evidence_digest(std::span<const uint8_t> claims_bytes) {
  static constexpr char kDomain[] = "edgeward-evidence-v1";  // includes the NUL
  Sha256 h;
  h.update(std::span(reinterpret_cast<const uint8_t*>(kDomain), sizeof kDomain));
  h.update(claims_bytes);
  return h.finish();
}

Result<std::vector<uint8_t>> make_evidence(const KeyStore& keys, const CertChain& device_cert,
                                           const std::string& device_id, const MeasurementState& state,
                                           std::span<const uint8_t> nonce, const std::string& workload,
                                           const std::optional<OtaClaims>& ota) {
  if (nonce.size() < kMinNonce || nonce.size() > kMaxNonce) {
    return bad("nonce must be 8 to 64 bytes, got " + std::to_string(nonce.size()));
  }
  Claims c;
  c.nonce.assign(nonce.begin(), nonce.end());
  c.device_id = device_id;
  c.board = std::string(board::default_board_name());
  c.runtime = current_version();
  c.registers = state.registers;
  c.events = state.events;
  c.boot_count = state.boot_count;
  c.counter = state.counter;
  c.time_unix_ms = clock_ms(CLOCK_REALTIME);
  c.uptime_ms = clock_ms(CLOCK_MONOTONIC);
  c.workload = workload;
  c.ota = ota;
  EW_ASSIGN(auto claims, encode_claims(c));
  EW_ASSIGN(auto sig, keys.sign(evidence_digest(claims)));
  auto msg = std::make_unique<edgeward_attest_Evidence>();
  if (!pb::put_bytes(msg->claims, claims) || !pb::put_bytes(msg->signature, sig) ||
      !pb::put_bytes(msg->device_cert, device_cert.leaf_der())) {
    return bad("claims, signature or device certificate too large");
  }
  return pb::encode(edgeward_attest_Evidence_fields, *msg, edgeward_attest_Evidence_size, "evidence");
}

Result<Evidence> decode_evidence(std::span<const uint8_t> bytes) {
  auto msg = std::make_unique<edgeward_attest_Evidence>();
  EW_TRY(pb::decode(edgeward_attest_Evidence_fields, *msg, bytes, kMaxEvidenceBytes, "evidence"));
  Evidence e;
  e.claims_bytes = pb::get_bytes(msg->claims);
  e.signature = pb::get_bytes(msg->signature);
  e.device_cert = pb::get_bytes(msg->device_cert);
  if (e.signature.empty()) return bad("no signature");
  if (e.device_cert.empty()) return bad("no device certificate");
  EW_ASSIGN(e.claims, decode_claims(e.claims_bytes));
  return e;
}

}  // namespace edgeward::attest
