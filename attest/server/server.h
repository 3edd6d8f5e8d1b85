// `edgeward attest serve`: the attestation query server. Mutual TLS: the device presents its
// device certificate; the fleet manager must present a certificate that chains to the fleet CA
// with clientAuth, or the handshake fails. One request (nonce, optional workload) per connection,
// answered with signed evidence. Malformed, oversized or slow requests get an error response (if
// the TLS session is up) and a closed connection; the server goes on serving others.
// Connections are served one at a time, each within one deadline (`timeout_ms` for handshake,
// request and response together), so a slow or idle client delays others by at most that.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "attest/crypto/cert.h"
#include "attest/server/protocol.h"
#include "attest/server/tls.h"
#include "common/result.h"

namespace edgeward::attest {

using EvidenceSource = std::function<Result<std::vector<uint8_t>>(const Request&)>;

struct ServerStats {
  std::atomic<uint64_t> answered{0};   // evidence sent
  std::atomic<uint64_t> refused{0};    // bad requests answered with an error
  std::atomic<uint64_t> dropped{0};    // TLS handshake failed (garbage, no or untrusted client cert)
};

class QueryServer {
 public:
  // The only way to get a working server. Binds `address`:`port` (port 0: any free port, see
  // port()). The certificates and key must outlive the server.
  static Result<std::unique_ptr<QueryServer>> create(const std::string& address, uint16_t port,
                                                     const CertChain& device_cert, mbedtls_pk_context* device_key,
                                                     const CertChain& fleet_ca, EvidenceSource source,
                                                     uint32_t timeout_ms = 5000);

  uint16_t port() const { return port_; }
  const ServerStats& stats() const { return stats_; }
  // Serves until `stop` becomes true (checked at least every 200 ms).
  void serve(const std::atomic<bool>& stop);

 private:
  void handle(int client_fd);

  Fd listen_fd_;
  uint16_t port_ = 0;
  uint32_t timeout_ms_ = 5000;
  TlsConfig tls_;
  EvidenceSource source_;
  ServerStats stats_;
};

struct QueryOptions {
  std::string host_port;
  const CertChain* client_cert = nullptr;
  mbedtls_pk_context* client_key = nullptr;
  const CertChain* fleet_ca = nullptr;
  Request request;
  uint32_t timeout_ms = 10000;  // for the whole exchange
};

// The fleet manager's side: connects, authenticates both ends, sends the request and returns the
// evidence bytes (or the server's error).
Result<std::vector<uint8_t>> query_evidence(const QueryOptions& o);

}  // namespace edgeward::attest
