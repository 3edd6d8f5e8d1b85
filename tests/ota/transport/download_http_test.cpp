// The Downloader and HttpSource against the python test server over real sockets: full
// download, refusals (wrong digest, Content-Range mismatch, redirect, header flood, endless
// body, timeout) and resume after an interrupted transfer.
#include <gtest/gtest.h>

#include <chrono>

#include "ota/transport/downloader.h"
#include "ota/transport/http_source.h"
#include "ota/transport/open_source.h"
#include "tests/ota/transport/test_server.h"

namespace edgeward::ota {
namespace {

using test::exists;
using test::file_size;
using test::read_all;

constexpr size_t kSize = 300000;

class OtaDownloadHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    data_ = new std::vector<uint8_t>(test::test_bytes(kSize, 7));
    test::write_all(dir_->file("bundle.bin"), *data_);
    server_ = new test::TestServer(dir_->path(), dir_->file("requests.log"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete data_;
    delete dir_;
  }
  void SetUp() override {
    dest_ = dir_->file(std::string("out-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  DownloadTarget target() const { return {dest_, kSize, attest::sha256(*data_)}; }
  Result<DownloadReport> fetch(const std::string& rest, TransportOptions o = {}) {
    auto src = open_source(server_->url(rest), o);
    if (!src) return std::move(src).error();
    return download(**src, target());
  }
  std::string part() const { return dest_ + ".part"; }

  static test::ScratchDir* dir_;
  static std::vector<uint8_t>* data_;
  static test::TestServer* server_;
  std::string dest_;
};
test::ScratchDir* OtaDownloadHttp::dir_ = nullptr;
std::vector<uint8_t>* OtaDownloadHttp::data_ = nullptr;
test::TestServer* OtaDownloadHttp::server_ = nullptr;

TEST_F(OtaDownloadHttp, FullDownloadVerifies) {
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  auto src = open_source(server_->url("bundle.bin"), {});
  ASSERT_TRUE(src.ok()) << src.error().message;
  auto r = download(**src, target(), [&](uint64_t d, uint64_t t) { seen.emplace_back(d, t); });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read_all(dest_), *data_);
  EXPECT_FALSE(exists(part()));
  EXPECT_EQ(r->fetched, kSize);
  EXPECT_EQ(r->resumed_from, 0u);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), std::make_pair(uint64_t{kSize}, uint64_t{kSize}));
  EXPECT_EQ(server_->ranges().back(), "");
}

TEST_F(OtaDownloadHttp, WrongHashRefusedAndPartRemoved) {
  DownloadTarget t = target();
  t.sha256[0] ^= 1;
  auto src = open_source(server_->url("bundle.bin"), {});
  auto r = download(**src, t);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermission);
  EXPECT_NE(r.error().message.find("SHA-256 mismatch: expected " + attest::to_hex(t.sha256) + ", got " +
                                   attest::to_hex(attest::sha256(*data_))),
            std::string::npos)
      << r.error().message;
  EXPECT_FALSE(exists(part()));
  EXPECT_FALSE(exists(dest_));
}

TEST_F(OtaDownloadHttp, ResumesAfterInterruptedTransfer) {
  auto first = fetch("bundle.bin?fault=close-after&n=100000");
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.error().message.find("kept to resume"), std::string::npos) << first.error().message;
  ASSERT_EQ(file_size(part()), 100000u);
  EXPECT_FALSE(exists(dest_));

  auto second = fetch("bundle.bin");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->resumed_from, 100000u);
  EXPECT_EQ(second->fetched, kSize - 100000);
  EXPECT_FALSE(second->restarted);
  EXPECT_EQ(server_->ranges().back(), "bytes=100000-");
  EXPECT_EQ(read_all(dest_), *data_);
}

TEST_F(OtaDownloadHttp, CompletePartIsVerifiedWithoutTheNetwork) {
  test::write_all(part(), *data_);
  auto src = open_source("http://127.0.0.1:1/unreachable", {});
  auto r = download(**src, target());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->fetched, 0u);
  EXPECT_EQ(read_all(dest_), *data_);
}

TEST_F(OtaDownloadHttp, WholeFileInsteadOfRangeRestartsCleanly) {
  test::write_all(part(), std::vector<uint8_t>(50000, 'x'));  // garbage: must not survive
  auto r = fetch("bundle.bin?fault=ignore-range");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->restarted);
  EXPECT_EQ(r->resumed_from, 0u);
  EXPECT_EQ(r->fetched, kSize);
  EXPECT_EQ(server_->ranges().back(), "bytes=50000-");
  EXPECT_EQ(read_all(dest_), *data_);
}

TEST_F(OtaDownloadHttp, ContentRangeMismatchRefused) {
  test::write_all(part(), std::vector<uint8_t>(data_->begin(), data_->begin() + 1000));
  auto r = fetch("bundle.bin?fault=wrong-range");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Content-Range starts at 1001, not at the requested offset 1000: refused"),
            std::string::npos)
      << r.error().message;
  EXPECT_FALSE(exists(dest_));
}

TEST_F(OtaDownloadHttp, ChunkedBody) {
  auto r = fetch("bundle.bin?fault=chunked");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read_all(dest_), *data_);
}

TEST_F(OtaDownloadHttp, ChunkedRangeResumes) {
  test::write_all(part(), std::vector<uint8_t>(data_->begin(), data_->begin() + 4321));
  auto r = fetch("bundle.bin?fault=chunked");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resumed_from, 4321u);
  EXPECT_EQ(read_all(dest_), *data_);
}

TEST_F(OtaDownloadHttp, EndlessBodyStopsAtTheCap) {
  constexpr uint64_t kCap = 200000;
  auto src = HttpSource::create(parse_url(server_->url("x?fault=endless")).value(), {});
  ASSERT_TRUE(src.ok());
  ASSERT_TRUE((*src)->open(0, kCap).ok());
  uint64_t delivered = 0;
  uint8_t buf[65536];
  Result<size_t> n = size_t{0};
  while ((n = (*src)->read(buf)).ok() && *n > 0 && delivered <= 4 * kCap) delivered += *n;
  ASSERT_FALSE(n.ok()) << "endless body ended cleanly?";
  EXPECT_NE(n.error().message.find("more than the 200000 body bytes expected"), std::string::npos) << n.error().message;
  EXPECT_LE(delivered, kCap);
  EXPECT_LE((*src)->wire_bytes(), kCap + kReadBufferBytes + 1024);

  // Through the Downloader: refused, and the .part never holds more than the cap.
  auto r = fetch("x?fault=endless");
  ASSERT_FALSE(r.ok());
  EXPECT_LE(file_size(part()), kSize);
}

TEST_F(OtaDownloadHttp, OversizedResourceRefusedBeforeTheBody) {
  DownloadTarget t = target();
  t.size = kSize - 1;
  auto src = open_source(server_->url("bundle.bin"), {});
  auto r = download(**src, t);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("announces 300000 bytes"), std::string::npos) << r.error().message;
  EXPECT_EQ(file_size(part()), 0u);
}

TEST_F(OtaDownloadHttp, ReadTimeoutFires) {
  TransportOptions o;
  o.read_timeout_ms = 400;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = fetch("bundle.bin?fault=slow&n=5000", o);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("read timed out"), std::string::npos) << r.error().message;
  EXPECT_LT(ms, 5000);
  EXPECT_EQ(file_size(part()), 5000u);  // kept for the next run
}

TEST_F(OtaDownloadHttp, TotalTimeoutFires) {
  TransportOptions o;
  o.read_timeout_ms = 5000;
  o.total_timeout_ms = 600;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = fetch("bundle.bin?fault=slow&n=5000", o);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(r.ok());
  EXPECT_LT(ms, 4500) << r.error().message;  // before the 5 s read timeout could fire
}

TEST_F(OtaDownloadHttp, HeaderFloodRefused) {
  auto r = fetch("bundle.bin?fault=header-flood");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("head is larger than 16384 bytes"), std::string::npos) << r.error().message;
}

TEST_F(OtaDownloadHttp, RedirectRefused) {
  auto r = fetch("bundle.bin?fault=redirect");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("redirects are not followed"), std::string::npos) << r.error().message;
}

TEST_F(OtaDownloadHttp, NotFoundAndConnectionRefused) {
  auto r = fetch("missing.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("HTTP 404"), std::string::npos) << r.error().message;
  auto src = open_source("http://127.0.0.1:1/x", {});
  r = download(**src, target());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("connect"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace edgeward::ota
