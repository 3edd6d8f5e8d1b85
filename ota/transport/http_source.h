// ByteSource for http:// and https:// URLs: each open() is a fresh connection (plain TCP or
// mbedTLS) and one HttpExchange; timeouts and caps come from TransportOptions.
#pragma once

#include <memory>

#include "ota/transport/byte_source.h"
#include "ota/transport/http_exchange.h"
#include "ota/transport/tls_stream.h"
#include "ota/transport/url.h"

namespace edgeward::ota {

struct TransportOptions {
  uint32_t connect_timeout_ms = 10000;
  uint32_t read_timeout_ms = 30000;   // longest silence while waiting for bytes
  uint32_t total_timeout_ms = 0;      // whole transfer of one open() (0: none)
  size_t max_header_bytes = kDefaultMaxHeaderBytes;
  // Connect to this numeric address instead of the URL's host (the binary is static and does
  // not resolve names); Host header and TLS name check still use the URL's host. Like curl's
  // --resolve. Empty: the URL's host must itself be an IPv4 address or "localhost".
  std::string connect_address;
  TlsOptions tls;                     // https:// only
};

class HttpSource : public ByteSource {
 public:
  static Result<std::unique_ptr<HttpSource>> create(const Url& url, const TransportOptions& o);
  Result<OpenedRange> open(uint64_t offset, uint64_t max_size) override;
  Status open_range(uint64_t offset, uint64_t length, uint64_t resource_size) override;
  Result<size_t> read(std::span<uint8_t> out) override;
  std::string describe() const override;
  // Bytes received on the wire by the current exchange (tests: the cap holds).
  uint64_t wire_bytes() const { return exchange_ ? exchange_->wire_bytes() : 0; }

 private:
  HttpSource(Url url, TransportOptions o) : url_(std::move(url)), options_(std::move(o)) {}
  // A connected stream (TCP or TLS) to the URL's server, under the transfer's deadline.
  Result<std::unique_ptr<Stream>> connect();
  Url url_;
  TransportOptions options_;
  std::shared_ptr<TlsMaterial> tls_;
  std::unique_ptr<HttpExchange> exchange_;
};

}  // namespace edgeward::ota
