// mbedTLS stream (see tls_stream.h).
#include "ota/transport/tls_stream.h"

#include <sys/socket.h>

#include <cerrno>

#include <mbedtls/error.h>

#include "attest/error.h"
#include "attest/server/socket_io.h"

namespace edgeward::ota {

Result<std::shared_ptr<TlsMaterial>> load_tls_material(const TlsOptions& o) {
  if (o.ca_file.empty()) return Error::invalid("https:// needs a CA file to verify the server (the fleet CA)");
  auto m = std::make_shared<TlsMaterial>();
  EW_ASSIGN(m->ca, attest::CertChain::load(o.ca_file));
  if (o.client_cert_file.empty() != o.client_key_file.empty()) {
    return Error::invalid("a client certificate needs its key and a key needs its certificate");
  }
  if (!o.client_cert_file.empty()) {
    EW_ASSIGN(m->client_cert, attest::CertChain::load(o.client_cert_file));
    EW_ASSIGN(auto key, attest::PrivateKey::load(o.client_key_file));
    m->client_key = std::make_unique<attest::PrivateKey>(std::move(key));
  }
  return m;
}

TlsStream::~TlsStream() {
  if (fd_.get() >= 0) mbedtls_ssl_close_notify(ssl_.get());
}

int TlsStream::recv_cb(void* self, unsigned char* buf, size_t len, uint32_t) {
  auto* s = static_cast<TlsStream*>(self);
  const uint32_t wait = s->deadline_.next_wait_ms();
  if (wait == 0) {
    s->timed_out_ = true;
    return MBEDTLS_ERR_SSL_TIMEOUT;
  }
  const int rc = attest::socket_recv_timeout(s->fd_.get(), buf, len, wait);
  if (rc == MBEDTLS_ERR_SSL_TIMEOUT) s->timed_out_ = true;
  return rc;
}

int TlsStream::send_cb(void* self, const unsigned char* buf, size_t len) {
  return attest::socket_send(static_cast<TlsStream*>(self)->fd_.get(), buf, len);
}

Result<std::unique_ptr<TlsStream>> TlsStream::connect(attest::Fd fd, const std::string& host,
                                                      std::shared_ptr<TlsMaterial> material, Deadline deadline) {
  std::unique_ptr<TlsStream> s(new TlsStream());
  s->material_ = std::move(material);
  s->deadline_ = deadline;
  mbedtls_pk_context* key = s->material_->client_key ? s->material_->client_key->pk() : nullptr;
  EW_ASSIGN(s->config_, attest::make_tls_config(false, s->material_->client_cert, key, s->material_->ca,
                                                deadline.read_ms));
  s->fd_ = std::move(fd);
  int rc = mbedtls_ssl_setup(s->ssl_.get(), s->config_.conf->get());
  if (rc != 0) return attest::mbed_error(rc, "TLS session setup");
  rc = mbedtls_ssl_set_hostname(s->ssl_.get(), host.c_str());
  if (rc != 0) return attest::mbed_error(rc, "TLS server name");
  mbedtls_ssl_set_bio(s->ssl_.get(), s.get(), send_cb, nullptr, recv_cb);
  if (auto st = attest::tls_handshake(s->ssl_.get()); !st) {
    if (s->timed_out_) return Error::io("TLS handshake with " + host + " timed out");
    return std::move(st).error();
  }
  return s;
}

Result<size_t> TlsStream::read(std::span<uint8_t> out) {
  for (;;) {
    const int rc = mbedtls_ssl_read(ssl_.get(), out.data(), out.size());
    if (rc >= 0) return static_cast<size_t>(rc);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return size_t{0};
    if (rc == MBEDTLS_ERR_SSL_TIMEOUT) {
      return Error::io("read timed out: no data from the server for " + std::to_string(deadline_.read_ms) + " ms");
    }
    return Error::io("TLS read: " + attest::mbed_strerror(rc));
  }
}

Status TlsStream::write_all(std::span<const uint8_t> data) {
  while (!data.empty()) {
    const int rc = mbedtls_ssl_write(ssl_.get(), data.data(), data.size());
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    if (rc < 0) return Error::io("TLS write: " + attest::mbed_strerror(rc));
    data = data.subspan(static_cast<size_t>(rc));
  }
  return {};
}

}  // namespace edgeward::ota
