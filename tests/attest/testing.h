// Shared fixtures for attest tests: a temporary directory and an in-memory fleet PKI.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "attest/crypto/cert.h"
#include "attest/fileio.h"

namespace edgeward::attest::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ew-attest-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

template <typename T>
T must(Result<T> r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.error().message;
    std::abort();
  }
  return std::move(r).value();
}

struct Identity {
  PrivateKey key;
  std::string cert_pem;
};

// A fleet CA and leaves issued by it for each purpose.
struct Pki {
  PrivateKey ca_key = must(PrivateKey::generate());
  std::string ca_pem = must(issue_certificate(ca_key.pk(), {"CN=test fleet CA", Purpose::kCa, validity_days(30)},
                                              ca_key, nullptr));
  CertChain ca = must(CertChain::parse(ca_pem, "ca"));

  Identity issue(Purpose p, const std::string& cn, Validity v = validity_days(30)) const {
    PrivateKey key = must(PrivateKey::generate());
    std::string pem = must(issue_certificate(key.pk(), {"CN=" + cn, p, v}, ca_key, &ca));
    return {std::move(key), std::move(pem)};
  }
};

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  ASSERT_TRUE(write_file_atomic(path, bytes).ok());
}

}  // namespace edgeward::attest::testing
