// https:// against the python test server wrapped in TLS, with a test PKI made by openssl:
// the fleet CA and the right host name work; another CA, a host name the certificate does not
// carry, a missing CA file, and a missing client certificate (mutual TLS) are refused.
#include <gtest/gtest.h>

#include "ota/transport/downloader.h"
#include "ota/transport/open_source.h"
#include "tests/ota/transport/test_server.h"

namespace edgeward::ota {
namespace {

constexpr size_t kSize = 100000;

class OtaDownloadTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    pki_ = new test::TestPki(test::make_test_pki(dir_->path()));
    data_ = new std::vector<uint8_t>(test::test_bytes(kSize, 11));
    test::write_all(dir_->file("bundle.bin"), *data_);
    server_ = new test::TestServer(dir_->path(), dir_->file("tls.log"), {pki_->server_crt, pki_->server_key, ""});
    mtls_server_ = new test::TestServer(dir_->path(), dir_->file("mtls.log"),
                                        {pki_->server_crt, pki_->server_key, pki_->ca_crt});
  }
  static void TearDownTestSuite() {
    delete mtls_server_;
    delete server_;
    delete data_;
    delete pki_;
    delete dir_;
  }

  Result<DownloadReport> fetch(const std::string& url, const TlsOptions& tls) {
    TransportOptions o;
    o.read_timeout_ms = 5000;
    o.tls = tls;
    auto src = open_source(url, o);
    if (!src) return std::move(src).error();
    const std::string dest = dir_->file("out-" + std::to_string(++counter_));
    auto r = download(**src, {dest, kSize, attest::sha256(*data_)});
    if (r.ok()) {
      EXPECT_EQ(test::read_all(dest), *data_);
    }
    return r;
  }

  static test::ScratchDir* dir_;
  static test::TestPki* pki_;
  static std::vector<uint8_t>* data_;
  static test::TestServer* server_;
  static test::TestServer* mtls_server_;
  static int counter_;
};
test::ScratchDir* OtaDownloadTls::dir_ = nullptr;
test::TestPki* OtaDownloadTls::pki_ = nullptr;
std::vector<uint8_t>* OtaDownloadTls::data_ = nullptr;
test::TestServer* OtaDownloadTls::server_ = nullptr;
test::TestServer* OtaDownloadTls::mtls_server_ = nullptr;
int OtaDownloadTls::counter_ = 0;

TEST_F(OtaDownloadTls, FleetCaAndRightHostWork) {
  auto r = fetch(server_->url("bundle.bin", "https", "localhost"), {pki_->ca_crt, "", ""});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->fetched, kSize);
}

TEST_F(OtaDownloadTls, WrongCaRefused) {
  auto r = fetch(server_->url("bundle.bin", "https", "localhost"), {pki_->other_ca_crt, "", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermission);
  EXPECT_NE(r.error().message.find("TLS handshake failed"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("not correctly signed by the trusted CA"), std::string::npos) << r.error().message;
}

TEST_F(OtaDownloadTls, HostNameMismatchRefused) {
  auto r = fetch(server_->url("bundle.bin", "https", "127.0.0.1"), {pki_->ca_crt, "", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not match with the expected CN"), std::string::npos) << r.error().message;
}

TEST_F(OtaDownloadTls, ConnectAddressKeepsTheNameCheck) {
  TransportOptions o;
  o.tls = {pki_->ca_crt, "", ""};
  o.connect_address = "127.0.0.1";
  auto src = open_source(server_->url("bundle.bin", "https", "ota.test"), o);
  ASSERT_TRUE(src.ok()) << src.error().message;
  auto r = download(**src, {dir_->file("named"), kSize, attest::sha256(*data_)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  src = open_source(server_->url("bundle.bin", "https", "other.test"), o);
  r = download(**src, {dir_->file("other-named"), kSize, attest::sha256(*data_)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not match with the expected CN"), std::string::npos) << r.error().message;
}

TEST_F(OtaDownloadTls, MissingCaRefused) {
  auto r = fetch(server_->url("bundle.bin", "https", "localhost"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("needs a CA file"), std::string::npos) << r.error().message;
}

TEST_F(OtaDownloadTls, MutualTlsNeedsTheClientCertificate) {
  auto without = fetch(mtls_server_->url("bundle.bin", "https", "localhost"), {pki_->ca_crt, "", ""});
  ASSERT_FALSE(without.ok());
  auto with = fetch(mtls_server_->url("bundle.bin", "https", "localhost"),
                    {pki_->ca_crt, pki_->client_crt, pki_->client_key});
  ASSERT_TRUE(with.ok()) << with.error().message;
  auto half = fetch(mtls_server_->url("bundle.bin", "https", "localhost"), {pki_->ca_crt, pki_->client_crt, ""});
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("needs its key"), std::string::npos) << half.error().message;
}

TEST_F(OtaDownloadTls, ResumeOverTls) {
  const std::string dest = dir_->file("resumed");
  TransportOptions o;
  o.tls = {pki_->ca_crt, "", ""};
  auto src = open_source(server_->url("bundle.bin?fault=close-after&n=30000", "https", "localhost"), o);
  ASSERT_TRUE(src.ok());
  ASSERT_FALSE(download(**src, {dest, kSize, attest::sha256(*data_)}).ok());
  EXPECT_EQ(test::file_size(dest + ".part"), 30000u);
  src = open_source(server_->url("bundle.bin", "https", "localhost"), o);
  auto r = download(**src, {dest, kSize, attest::sha256(*data_)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resumed_from, 30000u);
  EXPECT_EQ(test::read_all(dest), *data_);
}

}  // namespace
}  // namespace edgeward::ota
