#include "attest/server/protocol.h"

#include <memory>

#include "attest/pb_util.h"
#include "attest/server/protocol.pb.h"

namespace edgeward::attest {
namespace {

Status ssl_write_all(mbedtls_ssl_context* ssl, std::span<const uint8_t> data) {
  size_t done = 0;
  while (done < data.size()) {
    const int rc = mbedtls_ssl_write(ssl, data.data() + done, data.size() - done);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    if (rc < 0) return mbed_error(rc, "TLS write", Errc::kIo);
    done += static_cast<size_t>(rc);
  }
  return {};
}

Status ssl_read_exact(mbedtls_ssl_context* ssl, std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const int rc = mbedtls_ssl_read(ssl, out.data() + done, out.size() - done);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return make_error(Errc::kIo, "TLS peer closed the connection");
    if (rc < 0) return mbed_error(rc, "TLS read", Errc::kIo);
    done += static_cast<size_t>(rc);
  }
  return {};
}

}  // namespace

Result<std::vector<uint8_t>> encode_request(const Request& r) {
  edgeward_attest_Request msg = edgeward_attest_Request_init_zero;
  if (!pb::put_bytes(msg.nonce, r.nonce) || !pb::put_string(msg.workload, r.workload)) {
    return make_error(Errc::kMalformed, "request: nonce longer than 64 bytes or workload name longer than 63");
  }
  return pb::encode(edgeward_attest_Request_fields, msg, edgeward_attest_Request_size, "request");
}

Result<Request> decode_request(std::span<const uint8_t> bytes) {
  edgeward_attest_Request msg = edgeward_attest_Request_init_zero;
  EW_TRY(pb::decode(edgeward_attest_Request_fields, msg, bytes, kMaxRequestBytes, "request"));
  Request r{pb::get_bytes(msg.nonce), msg.workload};
  if (r.nonce.size() < 8) return make_error(Errc::kMalformed, "request: nonce must be 8 to 64 bytes");
  return r;
}

Result<std::vector<uint8_t>> encode_response(const Response& r) {
  auto msg = std::make_unique<edgeward_attest_Response>();
  msg->status = static_cast<uint32_t>(r.status);
  std::string err = r.error.substr(0, 255);
  if (!pb::put_string(msg->error, err) || !pb::put_bytes(msg->evidence, r.evidence)) {
    return make_error(Errc::kMalformed, "response: evidence too large");
  }
  return pb::encode(edgeward_attest_Response_fields, *msg, edgeward_attest_Response_size, "response");
}

Result<Response> decode_response(std::span<const uint8_t> bytes) {
  auto msg = std::make_unique<edgeward_attest_Response>();
  EW_TRY(pb::decode(edgeward_attest_Response_fields, *msg, bytes, kMaxResponseBytes, "response"));
  if (msg->status > 2) return make_error(Errc::kMalformed, "response: unknown status " + std::to_string(msg->status));
  return Response{static_cast<ResponseStatus>(msg->status), msg->error, pb::get_bytes(msg->evidence)};
}

Status write_frame(mbedtls_ssl_context* ssl, std::span<const uint8_t> payload) {
  const uint32_t n = static_cast<uint32_t>(payload.size());
  std::vector<uint8_t> frame{static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
                             static_cast<uint8_t>(n)};
  frame.insert(frame.end(), payload.begin(), payload.end());
  return ssl_write_all(ssl, frame);
}

Result<std::vector<uint8_t>> read_frame(mbedtls_ssl_context* ssl, size_t max_bytes) {
  uint8_t len[4];
  EW_TRY(ssl_read_exact(ssl, len));
  const uint32_t n = uint32_t{len[0]} << 24 | uint32_t{len[1]} << 16 | uint32_t{len[2]} << 8 | len[3];
  if (n > max_bytes) {
    return make_error(Errc::kMalformed, "message of " + std::to_string(n) + " bytes is larger than the " +
                                            std::to_string(max_bytes) + " allowed");
  }
  std::vector<uint8_t> body(n);
  EW_TRY(ssl_read_exact(ssl, body));
  return body;
}

}  // namespace edgeward::attest
