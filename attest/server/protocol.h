// The query protocol (server/protocol.proto): codecs and length-prefixed framing over TLS.
// decode_request is a parser for hostile bytes (fuzzed) and refuses anything oversized.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "attest/crypto/mbed.h"
#include "common/result.h"

namespace edgeward::attest {

constexpr size_t kMaxRequestBytes = 256;
constexpr size_t kMaxResponseBytes = 32 * 1024;

struct Request {
  std::vector<uint8_t> nonce;
  std::string workload;
};

enum class ResponseStatus : uint32_t { kOk = 0, kBadRequest = 1, kInternal = 2 };

struct Response {
  ResponseStatus status = ResponseStatus::kOk;
  std::string error;
  std::vector<uint8_t> evidence;
};

Result<std::vector<uint8_t>> encode_request(const Request& r);
// Refuses malformed or oversized messages and nonces outside 8..64 bytes.
Result<Request> decode_request(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> encode_response(const Response& r);
Result<Response> decode_response(std::span<const uint8_t> bytes);

// Frame I/O on an established TLS session. read_frame refuses frames larger than `max_bytes`
// before reading their body.
Status write_frame(mbedtls_ssl_context* ssl, std::span<const uint8_t> payload);
Result<std::vector<uint8_t>> read_frame(mbedtls_ssl_context* ssl, size_t max_bytes);

}  // namespace edgeward::attest
