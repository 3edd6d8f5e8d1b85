// The attest module's one error domain. Every failure in attest/ is an edgeward::Error built
// here, so messages share one shape ("<what failed>: <why>; <what to do>") and one mapping to
// exit codes: malformed input -> kInvalidInput (exit 2), trust failures (signature, chain, digest,
// nonce, appraisal) -> kPermission (exit 1), I/O -> kIo, mbedTLS internal -> kInternal.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace edgeward::attest {

enum class Errc {
  kMalformed,       // a file or message does not parse (truncated, oversized, bad field)
  kUntrusted,       // signature, certificate chain, digest, nonce or appraisal check failed
  kIo,              // reading/writing a file or socket failed
  kNotFound,        // a file or key that should exist does not
  kCrypto,          // mbedTLS reported an internal failure (RNG, encoding)
};

Error make_error(Errc errc, std::string message);

// "<what>: mbedTLS error -0x2700 (X509 - Certificate verification failed ...)"
Error mbed_error(int rc, std::string_view what, Errc errc = Errc::kCrypto);

// Text of an mbedTLS error code.
std::string mbed_strerror(int rc);

}  // namespace edgeward::attest
