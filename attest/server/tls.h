// Mutual-TLS plumbing shared by the query server and client (mbedTLS, TLS 1.2, ECDHE-ECDSA with
// AES-GCM only): a configuration that requires the peer's certificate to chain to the fleet CA,
// and plain IPv4 TCP sockets (no name resolution: the binary is static, addresses are numeric).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "attest/crypto/cert.h"
#include "attest/crypto/mbed.h"
#include "attest/fileio.h"
#include "common/result.h"

namespace edgeward::attest {

struct TlsConfig {
  std::unique_ptr<Rng> rng = std::make_unique<Rng>();
  std::unique_ptr<SslConfig> conf = std::make_unique<SslConfig>();
};

// `own_cert`/`own_key` present this end; the peer must chain to `fleet_ca`. The objects passed in
// must outlive the returned configuration. `timeout_ms` bounds each read. A client may pass an
// empty `own_cert` (and a null key) to present no certificate.
Result<TlsConfig> make_tls_config(bool server, const CertChain& own_cert, mbedtls_pk_context* own_key,
                                  const CertChain& fleet_ca, uint32_t timeout_ms);

// After a handshake: the peer certificate's extended key usage must allow `purpose`.
Status check_peer_purpose(mbedtls_ssl_context* ssl, Purpose purpose);

// Runs the handshake to completion or failure.
Status tls_handshake(mbedtls_ssl_context* ssl);

// "127.0.0.1:8443" -> listening / connected sockets. Port 0 picks a free port.
Result<Fd> tcp_listen(const std::string& address, uint16_t port);
Result<uint16_t> local_port(const Fd& fd);
Result<Fd> tcp_connect(const std::string& host_port, uint32_t timeout_ms);

}  // namespace edgeward::attest
