// http(s):// ByteSource (see http_source.h).
#include "ota/transport/http_source.h"

#include "ota/transport/tcp_stream.h"

namespace edgeward::ota {

Result<std::unique_ptr<HttpSource>> HttpSource::create(const Url& url, const TransportOptions& o) {
  if (url.scheme == Scheme::kFile) return Error::invalid("HttpSource needs an http:// or https:// URL");
  if (url.ipv6 && o.connect_address.empty()) {
    return Error::unsupported("IPv6 hosts are not supported yet: use an IPv4 address");
  }
  std::unique_ptr<HttpSource> s(new HttpSource(url, o));
  if (url.scheme == Scheme::kHttps) {
    EW_ASSIGN(s->tls_, load_tls_material(o.tls));
  }
  return s;
}

std::string HttpSource::describe() const {
  return std::string(scheme_name(url_.scheme)) + "://" + url_.authority() + url_.target;
}

Result<std::unique_ptr<Stream>> HttpSource::connect() {
  exchange_.reset();
  Deadline d;
  d.read_ms = options_.read_timeout_ms;
  if (options_.total_timeout_ms > 0) {
    d.deadline = Deadline::Clock::now() + std::chrono::milliseconds(options_.total_timeout_ms);
  }
  const std::string& address = options_.connect_address.empty() ? url_.host : options_.connect_address;
  auto fd = connect_tcp(address, url_.port, options_.connect_timeout_ms);
  if (!fd) return std::move(fd).error();
  if (url_.scheme == Scheme::kHttps) {
    EW_ASSIGN(auto tls, TlsStream::connect(std::move(fd).value(), url_.host, tls_, d));
    return std::unique_ptr<Stream>(std::move(tls));
  }
  return std::unique_ptr<Stream>(std::make_unique<TcpStream>(std::move(fd).value(), d));
}

Result<OpenedRange> HttpSource::open(uint64_t offset, uint64_t max_size) {
  auto fail = [&](Error e) { return std::move(e).context(describe()); };
  auto stream = connect();
  if (!stream) return fail(std::move(stream).error());
  auto x = HttpExchange::start(std::move(stream).value(), url_, offset, max_size, options_.max_header_bytes);
  if (!x) return fail(std::move(x).error());
  exchange_ = std::move(x).value();
  return exchange_->range();
}

Status HttpSource::open_range(uint64_t offset, uint64_t length, uint64_t resource_size) {
  auto fail = [&](Error e) { return std::move(e).context(describe()); };
  auto stream = connect();
  if (!stream) return fail(std::move(stream).error());
  auto x = HttpExchange::start_range(std::move(stream).value(), url_, offset, length, resource_size,
                                     options_.max_header_bytes);
  if (!x) return fail(std::move(x).error());
  exchange_ = std::move(x).value();
  return {};
}

Result<size_t> HttpSource::read(std::span<uint8_t> out) {
  if (!exchange_) return Error::internal("HttpSource::read before open");
  auto n = exchange_->read(out);
  if (!n) return std::move(n).error().context(describe());
  return n;
}

}  // namespace edgeward::ota
