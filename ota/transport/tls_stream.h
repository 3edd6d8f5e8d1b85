// mbedTLS stream for https://: the server must chain to the given CA (the fleet CA) and carry
// the URL's host name; TLS 1.2 with ECDHE-ECDSA AES-GCM (attest/server/tls.h's configuration,
// shared with the attestation server); optionally presents a client certificate (mutual TLS).
#pragma once

#include <memory>
#include <string>

#include "attest/crypto/cert.h"
#include "attest/crypto/keys.h"
#include "attest/fileio.h"
#include "attest/server/tls.h"
#include "ota/transport/stream.h"

namespace edgeward::ota {

struct TlsOptions {
  std::string ca_file;           // PEM trust anchor(s); required for https://
  std::string client_cert_file;  // optional: mutual TLS
  std::string client_key_file;
};

// The loaded trust material, kept alive as long as any stream made from it.
struct TlsMaterial {
  attest::CertChain ca;
  attest::CertChain client_cert;
  std::unique_ptr<attest::PrivateKey> client_key;
};
Result<std::shared_ptr<TlsMaterial>> load_tls_material(const TlsOptions& o);

class TlsStream : public Stream {
 public:
  // Runs the handshake over the connected `fd` and checks the server certificate for `host`.
  static Result<std::unique_ptr<TlsStream>> connect(attest::Fd fd, const std::string& host,
                                                    std::shared_ptr<TlsMaterial> material, Deadline deadline);
  ~TlsStream() override;
  Result<size_t> read(std::span<uint8_t> out) override;
  Status write_all(std::span<const uint8_t> data) override;

 private:
  TlsStream() = default;
  static int recv_cb(void* self, unsigned char* buf, size_t len, uint32_t);
  static int send_cb(void* self, const unsigned char* buf, size_t len);

  std::shared_ptr<TlsMaterial> material_;
  attest::TlsConfig config_;
  attest::Fd fd_;
  attest::SslContext ssl_;
  Deadline deadline_;
  bool timed_out_ = false;
};

}  // namespace edgeward::ota
