// Test fixtures for tests/ota/transport: the python test server (test_server.py) started on a
// free 127.0.0.1 port for a test suite, a scratch directory, and a test PKI made with openssl
// (fleet CA, a second unrelated CA, a server certificate for "localhost", a client certificate).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace edgeward::ota::test {

// A fresh directory under $TMPDIR (or /tmp), removed by the destructor.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct ServerTls {
  std::string cert, key;  // empty: plain HTTP
  std::string client_ca;  // non-empty: require a client certificate from this CA
};

class TestServer {
 public:
  TestServer(const std::string& root, const std::string& log, const ServerTls& tls = {});
  ~TestServer();
  uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT/" + rest (https:// and another host when asked).
  std::string url(const std::string& rest, const std::string& scheme = "http",
                  const std::string& host = "127.0.0.1") const;
  // The Range header of every request so far ("" when none), oldest first.
  std::vector<std::string> ranges() const;

 private:
  std::string log_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

struct TestPki {
  std::string ca_crt, other_ca_crt, server_crt, server_key, client_crt, client_key;
};
// Generates the PKI into `dir` with openssl (EC P-256); aborts the test binary on failure.
TestPki make_test_pki(const std::string& dir);

std::vector<uint8_t> read_all(const std::string& path);
void write_all(const std::string& path, const std::vector<uint8_t>& data);
bool exists(const std::string& path);
uint64_t file_size(const std::string& path);
// Deterministic pseudo-random bytes.
std::vector<uint8_t> test_bytes(size_t n, uint32_t seed);

}  // namespace edgeward::ota::test
