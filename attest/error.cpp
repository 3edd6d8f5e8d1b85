#include "attest/error.h"

#include <mbedtls/error.h>

#include <cstdio>

namespace edgeward::attest {

Error make_error(Errc errc, std::string message) {
  switch (errc) {
    case Errc::kMalformed: return {ErrorCode::kInvalidInput, std::move(message)};
    case Errc::kUntrusted: return {ErrorCode::kPermission, std::move(message)};
    case Errc::kIo: return {ErrorCode::kIo, std::move(message)};
    case Errc::kNotFound: return {ErrorCode::kNotFound, std::move(message)};
    case Errc::kCrypto: break;
  }
  return {ErrorCode::kInternal, std::move(message)};
}

std::string mbed_strerror(int rc) {
  char text[160];
  mbedtls_strerror(rc, text, sizeof text);
  char code[24];
  std::snprintf(code, sizeof code, "-0x%04x", static_cast<unsigned>(rc < 0 ? -rc : rc));
  return std::string("mbedTLS error ") + code + " (" + text + ")";
}

Error mbed_error(int rc, std::string_view what, Errc errc) {
  return make_error(errc, std::string(what) + ": " + mbed_strerror(rc));
}

}  // namespace edgeward::attest
