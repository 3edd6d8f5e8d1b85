// Test fixtures for tests/ota/transport (see test_server.h).
#include "tests/ota/transport/test_server.h"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace edgeward::ota::test {
namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "test fixture: %s\n", why.c_str());
  std::abort();
}

void run(const std::string& cmd) {
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) die("command failed: " + cmd);
}

}  // namespace

ScratchDir::ScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/ew-ota-test.XXXXXX";
  if (!::mkdtemp(tmpl.data())) die("mkdtemp");
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TestServer::TestServer(const std::string& root, const std::string& log, const ServerTls& tls) : log_(log) {
  std::vector<std::string> args = {EW_PYTHON3, EW_TEST_SERVER, "--root", root, "--log", log};
  if (!tls.cert.empty()) args.insert(args.end(), {"--cert", tls.cert, "--key", tls.key});
  if (!tls.client_ca.empty()) args.insert(args.end(), {"--client-ca", tls.client_ca});
  int fds[2];
  if (::pipe(fds) != 0) die("pipe");
  pid_ = ::fork();
  if (pid_ < 0) die("fork");
  if (pid_ == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string line;
  pollfd p{fds[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos) {
    if (::poll(&p, 1, 15000) <= 0) die("test server did not print its port within 15 s");
    char buf[64];
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) die("test server exited before printing its port (" + std::string(EW_TEST_SERVER) + ")");
    line.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  port_ = static_cast<uint16_t>(std::stoi(line));
}

TestServer::~TestServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string TestServer::url(const std::string& rest, const std::string& scheme, const std::string& host) const {
  return scheme + "://" + host + ":" + std::to_string(port_) + "/" + rest;
}

std::vector<std::string> TestServer::ranges() const {
  std::vector<std::string> out;
  std::ifstream in(log_);
  for (std::string line; std::getline(in, line);) {
    const std::string key = "\"range\": \"";
    const size_t at = line.find(key);
    if (at == std::string::npos) {
      out.emplace_back();
      continue;
    }
    const size_t start = at + key.size();
    out.push_back(line.substr(start, line.find('"', start) - start));
  }
  return out;
}

TestPki make_test_pki(const std::string& dir) {
  TestPki k;
  auto key = [&](const std::string& name) {
    run("openssl ecparam -name prime256v1 -genkey -noout -out " + dir + "/" + name);
    return dir + "/" + name;
  };
  auto ca = [&](const std::string& name, const std::string& cn) {
    const std::string ca_key = key(name + ".key");
    run("openssl req -x509 -new -key " + ca_key + " -subj /CN=" + cn + " -days 2 -sha256 -out " + dir + "/" + name +
        ".crt -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    return dir + "/" + name + ".crt";
  };
  auto leaf = [&](const std::string& name, const std::string& ext) {
    const std::string leaf_key = key(name + ".key");
    std::ofstream(dir + "/" + name + ".ext") << ext;
    run("openssl req -new -key " + leaf_key + " -subj /CN=" + name + " -out " + dir + "/" + name + ".csr");
    run("openssl x509 -req -in " + dir + "/" + name + ".csr -CA " + dir + "/ca.crt -CAkey " + dir +
        "/ca.key -CAcreateserial -days 2 -sha256 -extfile " + dir + "/" + name + ".ext -out " + dir + "/" + name +
        ".crt");
  };
  k.ca_crt = ca("ca", "edgeward-test-fleet-ca");
  k.other_ca_crt = ca("other-ca", "edgeward-test-fleet-ca");  // same name, other key
  leaf("server", "subjectAltName=DNS:localhost,DNS:ota.test\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
  leaf("client", "keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
  k.server_crt = dir + "/server.crt";
  k.server_key = dir + "/server.key";
  k.client_crt = dir + "/client.crt";
  k.client_key = dir + "/client.key";
  return k;
}

std::vector<uint8_t> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const std::string& path, const std::vector<uint8_t>& data) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()),
                                              static_cast<std::streamsize>(data.size()));
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

uint64_t file_size(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

std::vector<uint8_t> test_bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(x >> 24);
  }
  return v;
}

}  // namespace edgeward::ota::test
