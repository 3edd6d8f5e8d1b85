// Strict URL parsing for OTA sources: http://HOST[:PORT]/PATH, https://..., file:///PATH.
// Refuses anything a download URL has no business carrying (userinfo, fragments, control
// characters, spaces, bad or zero ports) so a hostile or mistyped URL fails before any I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace edgeward::ota {

enum class Scheme { kHttp, kHttps, kFile };

struct Url {
  Scheme scheme = Scheme::kHttp;
  std::string host;    // IPv4/name as written; IPv6 literals without the brackets
  uint16_t port = 0;   // default 80 / 443 when the URL gives none; 0 for file://
  std::string target;  // HTTP request target: path plus "?query" (starts with '/'); file: the path
  bool ipv6 = false;

  // "host:port" for a Host header ("[::1]:8080" for IPv6).
  std::string authority() const;
};

// Parses `text`; the error says what was wrong and quotes the URL.
Result<Url> parse_url(std::string_view text);

std::string_view scheme_name(Scheme s);

}  // namespace edgeward::ota
