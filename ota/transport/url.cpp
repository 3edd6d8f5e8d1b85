// URL parsing for OTA sources (see url.h).
#include "ota/transport/url.h"

#include <arpa/inet.h>

#include <cctype>

namespace edgeward::ota {
namespace {

Error bad(std::string_view url, const std::string& why) {
  return Error::invalid("URL '" + std::string(url) + "': " + why);
}

bool is_reg_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

// Path and query: printable ASCII except space, '#', '\\' and the characters HTTP forbids in a
// request target. Percent escapes must be well formed.
Status check_target(std::string_view url, std::string_view t) {
  for (size_t i = 0; i < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (c <= 0x20 || c >= 0x7f) return bad(url, "control character, space or non-ASCII byte in the path");
    if (c == '\\' || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' || c == '|' || c == '^') {
      return bad(url, std::string("character '") + static_cast<char>(c) + "' is not allowed in the path");
    }
    if (c == '%') {
      if (i + 2 >= t.size() || !std::isxdigit(static_cast<unsigned char>(t[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(t[i + 2]))) {
        return bad(url, "malformed percent escape in the path");
      }
    }
  }
  return {};
}

Result<uint16_t> parse_port(std::string_view url, std::string_view p) {
  if (p.empty()) return bad(url, "empty port after ':'");
  if (p.size() > 5) return bad(url, "port '" + std::string(p) + "' is out of range 1-65535");
  unsigned v = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return bad(url, "port '" + std::string(p) + "' is not a number");
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v == 0 || v > 65535) return bad(url, "port '" + std::string(p) + "' is out of range 1-65535");
  return static_cast<uint16_t>(v);
}

Status parse_authority(std::string_view url, std::string_view auth, Url& u) {
  if (auth.find('@') != std::string_view::npos) {
    return bad(url, "credentials in the URL (user@host) are refused; use a client certificate");
  }
  if (auth.empty()) return bad(url, "no host");
  std::string_view host = auth;
  std::string_view port;
  bool has_port = false;
  if (auth.front() == '[') {
    const size_t close = auth.find(']');
    if (close == std::string_view::npos) return bad(url, "unterminated '[' in an IPv6 host");
    host = auth.substr(1, close - 1);
    const std::string_view rest = auth.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad(url, "unexpected text after the IPv6 host");
      port = rest.substr(1);
      has_port = true;
    }
    in6_addr a6{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &a6) != 1) {
      return bad(url, "'" + std::string(host) + "' is not an IPv6 address");
    }
    u.ipv6 = true;
  } else {
    const size_t colon = auth.find(':');
    if (colon != std::string_view::npos) {
      host = auth.substr(0, colon);
      port = auth.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) return bad(url, "no host");
    if (host.size() > 253) return bad(url, "host name longer than 253 characters");
    for (char c : host) {
      if (!is_reg_name_char(c)) return bad(url, std::string("character '") + c + "' is not allowed in a host name");
    }
  }
  u.host = std::string(host);
  if (has_port) {
    EW_ASSIGN(u.port, parse_port(url, port));
  }
  return {};
}

}  // namespace

std::string_view scheme_name(Scheme s) {
  switch (s) {
    case Scheme::kHttp: return "http";
    case Scheme::kHttps: return "https";
    case Scheme::kFile: return "file";
  }
  return "?";
}

std::string Url::authority() const {
  const std::string h = ipv6 ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

Result<Url> parse_url(std::string_view text) {
  if (text.empty()) return Error::invalid("URL is empty");
  if (text.size() > 4096) return Error::invalid("URL is longer than 4096 characters");
  for (char c : text) {
    const unsigned char uc = static_cast<unsigned char>(c);
    if (uc < 0x20 || uc == 0x7f) return bad(text, "control character (CR, LF, NUL, ...) in the URL");
  }
  if (text.find('#') != std::string_view::npos) return bad(text, "fragments ('#...') are not allowed");
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return bad(text, "no scheme (expected http://, https:// or file://)");
  std::string scheme(text.substr(0, sep));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Url u;
  if (scheme == "http") {
    u.scheme = Scheme::kHttp;
    u.port = 80;
  } else if (scheme == "https") {
    u.scheme = Scheme::kHttps;
    u.port = 443;
  } else if (scheme == "file") {
    u.scheme = Scheme::kFile;
  } else {
    return bad(text, "unsupported scheme '" + scheme + "' (use http, https or file)");
  }
  const std::string_view rest = text.substr(sep + 3);
  const size_t slash = rest.find('/');
  const std::string_view auth = rest.substr(0, slash);
  const std::string_view target = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);

  if (u.scheme == Scheme::kFile) {
    if (!auth.empty() && auth != "localhost") return bad(text, "file:// URLs name a local path (file:///path)");
    if (target.find('?') != std::string_view::npos) return bad(text, "file:// URLs take no query");
    if (target == "/") return bad(text, "file:// URL has no path");
    EW_TRY(check_target(text, target));
    u.target = std::string(target);
    return u;
  }
  EW_TRY(parse_authority(text, auth, u));
  EW_TRY(check_target(text, target));
  u.target = std::string(target);
  return u;
}

}  // namespace edgeward::ota
