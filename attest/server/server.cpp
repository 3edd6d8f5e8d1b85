#include "attest/server/server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attest/error.h"

namespace edgeward::attest {
namespace {

// Owns one TLS session over a connected socket.
struct Session {
  NetContext net;
  SslContext ssl;
  Status setup(int fd, const mbedtls_ssl_config* conf) {
    net.get()->fd = fd;
    const int rc = mbedtls_ssl_setup(ssl.get(), conf);
    if (rc != 0) return mbed_error(rc, "TLS session setup");
    mbedtls_ssl_set_bio(ssl.get(), net.get(), mbedtls_net_send, nullptr, mbedtls_net_recv_timeout);
    return {};
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
  std::unique_ptr<QueryServer> s(new QueryServer());  // private constructor; make_unique cannot reach it
  EW_ASSIGN(s->tls_, make_tls_config(true, device_cert, device_key, fleet_ca, timeout_ms));
  EW_ASSIGN(s->listen_fd_, tcp_listen(address, port));
  EW_ASSIGN(s->port_, local_port(s->listen_fd_));
  s->source_ = std::move(source);
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
  if (!s.setup(client_fd, tls_.conf->get()).ok() || !tls_handshake(s.ssl.get()).ok()) {
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
  EW_TRY(s.setup(fd.release(), tls.conf->get()));
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
