// The mutual-TLS query server on 127.0.0.1: garbage, clients without a fleet certificate and
// oversized requests are refused while the server keeps answering good queries.
#include "attest/server/server.h"
#include "attest/server/socket_io.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <random>
#include <thread>

#include "attest/evidence/evidence.h"
#include "attest/identity/identity.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

constexpr uint32_t kTimeoutMs = 2000;  // per connection; generous for qemu-user

class Server : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    server = must(QueryServer::create("127.0.0.1", 0, device_cert, device.key.pk(), pki.ca,
                                      [this](const Request& r) -> Result<std::vector<uint8_t>> {
                                        MeasurementState st;
                                        return make_evidence(keys, device_cert, "dev", st, r.nonce, r.workload);
                                      },
                                      kTimeoutMs));
    thread = std::thread([this] { server->serve(stop); });
    address = "127.0.0.1:" + std::to_string(server->port());
  }
  void TearDown() override {
    stop = true;
    thread.join();
  }
  Result<std::vector<uint8_t>> query(const testing::Identity& client, const CertChain& ca) {
    auto cert = must(CertChain::parse(client.cert_pem, "client"));
    QueryOptions o;
    o.host_port = address;
    o.client_cert = &cert;
    o.client_key = client.key.pk();
    o.fleet_ca = &ca;
    o.request = {std::vector<uint8_t>(16, 1), ""};
    return query_evidence(o);
  }

  testing::Pki pki;
  testing::Identity device = pki.issue(Purpose::kDevice, "device");
  FileKeyStore keys{must(PrivateKey::from_pem(must(device.key.to_pem()), "device"))};
  CertChain device_cert = must(CertChain::parse(device.cert_pem, "device"));
  testing::Identity fleet_client = pki.issue(Purpose::kClient, "fleet manager");
  std::unique_ptr<QueryServer> server;
  std::atomic<bool> stop{false};
  std::thread thread;
  std::string address;
};

TEST_F(Server, ClientWithoutFleetCertificateIsRejected) {
  testing::Pki other;
  auto stranger = other.issue(Purpose::kClient, "stranger");
  EXPECT_FALSE(query(stranger, pki.ca).ok());  // its certificate does not chain to the fleet CA
  auto signer = pki.issue(Purpose::kCodeSigning, "signer");
  EXPECT_FALSE(query(signer, pki.ca).ok());  // fleet CA, but not a client certificate
  EXPECT_FALSE(query(fleet_client, other.ca).ok());  // and the client refuses a server it cannot trust
  EXPECT_EQ(server->stats().answered.load(), 0u);
  auto good = query(fleet_client, pki.ca);
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(must(decode_evidence(*good)).claims.nonce, std::vector<uint8_t>(16, 1));
}

TEST_F(Server, OversizedAndMalformedRequestsGetAnError) {
  auto cert = must(CertChain::parse(fleet_client.cert_pem, "client"));
  for (const std::vector<uint8_t>& body : {std::vector<uint8_t>(4096, 0x41), std::vector<uint8_t>{0x0a, 0x02, 1, 2}}) {
    TlsConfig tls = must(make_tls_config(false, cert, fleet_client.key.pk(), pki.ca, 5000));
    Fd fd = must(tcp_connect(address, 5000));
    SslContext ssl;
    ASSERT_EQ(mbedtls_ssl_setup(ssl.get(), tls.conf->get()), 0);
    mbedtls_ssl_set_bio(
        ssl.get(), &fd,
        [](void* f, const unsigned char* b, size_t n) { return socket_send(static_cast<Fd*>(f)->get(), b, n); }, nullptr,
        [](void* f, unsigned char* b, size_t n, uint32_t ms) {
          return socket_recv_timeout(static_cast<Fd*>(f)->get(), b, n, ms);
        });
    ASSERT_TRUE(tls_handshake(ssl.get()).ok());
    ASSERT_TRUE(write_frame(ssl.get(), body).ok());
    auto resp = must(decode_response(must(read_frame(ssl.get(), kMaxResponseBytes))));
    EXPECT_EQ(resp.status, ResponseStatus::kBadRequest);
    EXPECT_FALSE(resp.error.empty());
  }
  EXPECT_EQ(server->stats().refused.load(), 2u);
  EXPECT_TRUE(query(fleet_client, pki.ca).ok());
}

TEST_F(Server, IdleAndTricklingClientsCannotHoldTheServer) {
  const auto start = std::chrono::steady_clock::now();
  Fd idle = must(tcp_connect(address, 5000));  // connects, never speaks
  Fd trickle = must(tcp_connect(address, 5000));
  std::thread trickler([&] {  // a ClientHello record, one byte every 300 ms for 7.5 s
    std::vector<uint8_t> hello{0x16, 0x03, 0x03, 0x01, 0x00, 0x01, 0x00, 0x00, 0xfc, 0x03, 0x03};
    hello.resize(25, 0x42);
    for (uint8_t b : hello) {
      if (::write(trickle.get(), &b, 1) != 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  auto good = query(fleet_client, pki.ca);
  const auto waited = std::chrono::steady_clock::now() - start;
  trickler.join();
  ASSERT_TRUE(good.ok()) << good.error().message;
  // Two deadlines, then ours. Per-read timeouts alone would let the trickler keep the server
  // busy for its whole 7.5 s.
  EXPECT_LT(waited, std::chrono::milliseconds(2 * kTimeoutMs + 3000));
  EXPECT_GE(server->stats().dropped.load(), 2u);
}

TEST_F(Server, SurvivesAThousandGarbageConnections) {
  std::mt19937 rng(1);
  for (int i = 0; i < 1000; ++i) {
    Fd fd = must(tcp_connect(address, 5000));
    std::vector<uint8_t> junk(1 + rng() % 300);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    if (i % 3 == 0) junk[0] = 0x16;  // looks like a TLS handshake record
    (void)!::write(fd.get(), junk.data(), junk.size());
  }
  auto good = query(fleet_client, pki.ca);
  ASSERT_TRUE(good.ok()) << good.error().message;
  // The server counts after its last write; give it a moment to get there.
  for (int i = 0; i < 200 && server->stats().answered.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server->stats().answered.load(), 1u);
  EXPECT_GE(server->stats().dropped.load(), 990u);
}

}  // namespace
}  // namespace edgeward::attest
