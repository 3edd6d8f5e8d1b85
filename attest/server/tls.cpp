#include "attest/server/tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <mbedtls/oid.h>

#include "attest/error.h"

namespace edgeward::attest {
namespace {

const int kCiphersuites[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                             MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 0};

Result<sockaddr_in> parse_ipv4(const std::string& address, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  const std::string host = address == "localhost" ? "127.0.0.1" : address;
  if (inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) {
    return make_error(Errc::kMalformed, "'" + address + "' is not an IPv4 address (use e.g. 127.0.0.1)");
  }
  return sa;
}

Error sock_error(const std::string& what) { return make_error(Errc::kIo, what + ": " + std::strerror(errno)); }

}  // namespace

Result<TlsConfig> make_tls_config(bool server, const CertChain& own_cert, mbedtls_pk_context* own_key,
                                  const CertChain& fleet_ca, uint32_t timeout_ms) {
  TlsConfig t;
  mbedtls_ssl_config* c = t.conf->get();
  int rc = mbedtls_ssl_config_defaults(c, server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                       MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0) return mbed_error(rc, "TLS configuration");
  mbedtls_ssl_conf_rng(c, Rng::fill, t.rng->self());
  mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(c, fleet_ca.get(), nullptr);
  mbedtls_ssl_conf_min_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_ciphersuites(c, kCiphersuites);
  mbedtls_ssl_conf_read_timeout(c, timeout_ms);
  if (own_cert.empty()) return t;  // a client without a certificate (ota downloads)
  rc = mbedtls_ssl_conf_own_cert(c, own_cert.get(), own_key);
  if (rc != 0) return mbed_error(rc, "TLS own certificate");
  return t;
}

Status check_peer_purpose(mbedtls_ssl_context* ssl, Purpose purpose) {
  const mbedtls_x509_crt* peer = mbedtls_ssl_get_peer_cert(ssl);
  if (!peer) return make_error(Errc::kUntrusted, "peer presented no certificate");
  const char* oid = purpose == Purpose::kClient ? MBEDTLS_OID_CLIENT_AUTH : MBEDTLS_OID_SERVER_AUTH;
  if (mbedtls_x509_crt_check_extended_key_usage(peer, oid, MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) != 0) {
    return make_error(Errc::kUntrusted, "peer certificate is not for " + std::string(purpose_name(purpose)));
  }
  return {};
}

Status tls_handshake(mbedtls_ssl_context* ssl) {
  for (;;) {
    const int rc = mbedtls_ssl_handshake(ssl);
    if (rc == 0) return {};
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    std::string why = mbed_strerror(rc);
    const uint32_t flags = mbedtls_ssl_get_verify_result(ssl);
    if (flags != 0 && flags != static_cast<uint32_t>(-1)) {
      char info[256];
      const int n = mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
      if (n > 0) why += "; peer certificate: " + std::string(info, static_cast<size_t>(n - 1));
    }
    return make_error(Errc::kUntrusted, "TLS handshake failed: " + why);
  }
}

Result<Fd> tcp_listen(const std::string& address, uint16_t port) {
  EW_ASSIGN(sockaddr_in sa, parse_ipv4(address, port));
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return sock_error("socket");
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    return sock_error("bind " + address + ":" + std::to_string(port));
  }
  if (::listen(fd.get(), 1024) != 0) return sock_error("listen");
  return fd;
}

Result<uint16_t> local_port(const Fd& fd) {
  sockaddr_in sa{};
  socklen_t len = sizeof sa;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len) != 0) return sock_error("getsockname");
  return ntohs(sa.sin_port);
}

Result<Fd> tcp_connect(const std::string& host_port, uint32_t timeout_ms) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) return make_error(Errc::kMalformed, "'" + host_port + "' is not HOST:PORT");
  const std::string port_text = host_port.substr(colon + 1);
  char* end = nullptr;
  const unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port == 0 || port > 65535) {
    return make_error(Errc::kMalformed, "'" + port_text + "' is not a port number");
  }
  EW_ASSIGN(sockaddr_in sa, parse_ipv4(host_port.substr(0, colon), static_cast<uint16_t>(port)));
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return sock_error("socket");
  timeval tv{static_cast<time_t>(timeout_ms / 1000), static_cast<suseconds_t>(timeout_ms % 1000 * 1000)};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return sock_error("connect " + host_port);
  return fd;
}

}  // namespace edgeward::attest
