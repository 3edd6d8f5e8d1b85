#include "attest/server/server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "attest/error.h"
#include "attest/server/socket_io.h"

namespace edgeward::attest {
namespace {

using Clock = std::chrono::steady_clock;

// Owns one TLS session over a connected socket. Every read is bounded by what is left of one
// deadline for the whole connection, so a client trickling bytes cannot hold it open longer.
struct Session {
  Fd net;
  SslContext ssl;
  Clock::time_point deadline;

  Status setup(int fd, const mbedtls_ssl_config* conf, uint32_t budget_ms) {
    net = Fd(fd);
    deadline = Clock::now() + std::chrono::milliseconds(budget_ms);
    const int rc = mbedtls_ssl_setup(ssl.get(), conf);
    if (rc != 0) return mbed_error(rc, "TLS session setup");
    mbedtls_ssl_set_bio(ssl.get(), this, send, nullptr, recv);
    return {};
  }
  static int send(void* self, const unsigned char* buf, size_t len) {
    return socket_send(static_cast<Session*>(self)->net.get(), buf, len);
  }
  static int recv(void* self, unsigned char* buf, size_t len, uint32_t) {
    auto* s = static_cast<Session*>(self);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(s->deadline - Clock::now()).count();
    if (left <= 0) return MBEDTLS_ERR_SSL_TIMEOUT;
    return socket_recv_timeout(s->net.get(), buf, len, static_cast<uint32_t>(left));
  }
};

void send_error(mbedtls_ssl_context* ssl, ResponseStatus status, const std::string& message) {
  auto bytes = encode_response({status, message, {}});
  if (bytes) (void)write_frame(ssl, *bytes);
}

}  // namespace

Result<std::unique_ptr<QueryServer>> QueryServer::create(const std::string& address, uint16_t port,
                                                         const CertChain& device_cert, mbedtls_pk_context* device_key,
                                                         const CertChain& fleet_ca, EvidenceSource source,
                                                         uint32_t timeout_ms) {
  auto s = std::make_unique<QueryServer>();
  EW_ASSIGN(s->tls_, make_tls_config(true, device_cert, device_key, fleet_ca, timeout_ms));
  EW_ASSIGN(s->listen_fd_, tcp_listen(address, port));
  EW_ASSIGN(s->port_, local_port(s->listen_fd_));
  s->source_ = std::move(source);
  s->timeout_ms_ = timeout_ms;
  return s;
}

void QueryServer::serve(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    pollfd p{listen_fd_.get(), POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int client = ::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    handle(client);
  }
}

void QueryServer::handle(int client_fd) {
  Session s;
  if (!s.setup(client_fd, tls_.conf->get(), timeout_ms_).ok() || !tls_handshake(s.ssl.get()).ok()) {
    ++stats_.dropped;
    return;
  }
  if (auto st = check_peer_purpose(s.ssl.get(), Purpose::kClient); !st) {
    ++stats_.refused;
    send_error(s.ssl.get(), ResponseStatus::kBadRequest, st.error().message);
    return;
  }
  auto frame = read_frame(s.ssl.get(), kMaxRequestBytes);
  auto request = frame ? decode_request(*frame) : Result<Request>(std::move(frame).error());
  if (!request) {
    ++stats_.refused;
    send_error(s.ssl.get(), ResponseStatus::kBadRequest, request.error().message);
    return;
  }
  auto evidence = source_(*request);
  if (!evidence) {
    ++stats_.refused;
    send_error(s.ssl.get(), ResponseStatus::kInternal, evidence.error().message);
    return;
  }
  auto bytes = encode_response({ResponseStatus::kOk, "", std::move(evidence).value()});
  if (bytes && write_frame(s.ssl.get(), *bytes).ok()) {
    ++stats_.answered;
    mbedtls_ssl_close_notify(s.ssl.get());
  }
}

Result<std::vector<uint8_t>> query_evidence(const QueryOptions& o) {
  EW_ASSIGN(TlsConfig tls, make_tls_config(false, *o.client_cert, o.client_key, *o.fleet_ca, o.timeout_ms));
  EW_ASSIGN(Fd fd, tcp_connect(o.host_port, o.timeout_ms));
  Session s;
  EW_TRY(s.setup(fd.release(), tls.conf->get(), o.timeout_ms));
  EW_TRY(tls_handshake(s.ssl.get()));
  EW_TRY(check_peer_purpose(s.ssl.get(), Purpose::kDevice));
  EW_ASSIGN(auto req, encode_request(o.request));
  EW_TRY(write_frame(s.ssl.get(), req));
  EW_ASSIGN(auto frame, read_frame(s.ssl.get(), kMaxResponseBytes));
  EW_ASSIGN(Response resp, decode_response(frame));
  mbedtls_ssl_close_notify(s.ssl.get());
  if (resp.status != ResponseStatus::kOk) {
    return make_error(Errc::kUntrusted, o.host_port + " refused the query: " + resp.error);
  }
  return std::move(resp.evidence);
}

}  // namespace edgeward::attest
