// file:// sources (offset and cap semantics shared with HTTP), the Downloader over them, and
// the progress renderer's JSON events.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>

#include "ota/transport/downloader.h"
#include "ota/transport/file_source.h"
#include "ota/transport/open_source.h"
#include "tests/ota/transport/test_server.h"

namespace edgeward::ota {
namespace {

TEST(OtaFileSource, ReadsFromAnOffset) {
  test::ScratchDir dir;
  const auto data = test::test_bytes(70000, 3);
  test::write_all(dir.file("b"), data);
  auto src = open_source("file://" + dir.file("b"), {});
  ASSERT_TRUE(src.ok()) << src.error().message;
  auto r = (*src)->open(12345, 70000);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->start, 12345u);
  EXPECT_EQ(r->total_size, 70000u);
  std::vector<uint8_t> got;
  uint8_t buf[4096];
  for (;;) {
    auto n = (*src)->read(buf);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    got.insert(got.end(), buf, buf + *n);
  }
  EXPECT_EQ(got, std::vector<uint8_t>(data.begin() + 12345, data.end()));
}

TEST(OtaFileSource, Refusals) {
  test::ScratchDir dir;
  test::write_all(dir.file("b"), test::test_bytes(100, 3));
  FileSource big(dir.file("b"));
  auto r = big.open(0, 99);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than the 99 expected"), std::string::npos) << r.error().message;
  FileSource missing(dir.file("nope"));
  r = missing.open(0, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  FileSource directory(dir.path());
  EXPECT_FALSE(directory.open(0, 100).ok());
  auto past = big.open(101, 1000);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->unsatisfiable);
}

TEST(OtaFileSource, DownloaderResumesFromFile) {
  test::ScratchDir dir;
  const auto data = test::test_bytes(200000, 5);
  test::write_all(dir.file("b"), data);
  test::write_all(dir.file("out.part"), std::vector<uint8_t>(data.begin(), data.begin() + 150000));
  auto src = open_source("file://" + dir.file("b"), {});
  auto r = download(**src, {dir.file("out"), data.size(), attest::sha256(data)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resumed_from, 150000u);
  EXPECT_EQ(r->fetched, 50000u);
  EXPECT_EQ(test::read_all(dir.file("out")), data);
}

TEST(OtaFileSource, CorruptPartIsCaughtByTheDigest) {
  test::ScratchDir dir;
  const auto data = test::test_bytes(20000, 5);
  test::write_all(dir.file("b"), data);
  test::write_all(dir.file("out.part"), std::vector<uint8_t>(1000, 0));  // wrong prefix
  auto src = open_source("file://" + dir.file("b"), {});
  auto r = download(**src, {dir.file("out"), data.size(), attest::sha256(data)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("SHA-256 mismatch"), std::string::npos);
  EXPECT_FALSE(test::exists(dir.file("out.part")));
  // The next run starts from zero and succeeds.
  src = open_source("file://" + dir.file("b"), {});
  ASSERT_TRUE(download(**src, {dir.file("out"), data.size(), attest::sha256(data)}).ok());
}

TEST(OtaFileSource, SecondDownloadOfTheSameDestIsRefused) {
  test::ScratchDir dir;
  const auto data = test::test_bytes(1000, 5);
  test::write_all(dir.file("b"), data);
  const int held = ::open(dir.file("out.part").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(held, 0);
  ASSERT_EQ(::flock(held, LOCK_EX), 0);
  auto src = open_source("file://" + dir.file("b"), {});
  auto r = download(**src, {dir.file("out"), data.size(), attest::sha256(data)});
  ::close(held);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("another download of"), std::string::npos) << r.error().message;
}

TEST(OtaProgress, JsonEventsOnePerPercentAndTheLast) {
  char* text = nullptr;
  size_t len = 0;
  FILE* out = open_memstream(&text, &len);
  ASSERT_NE(out, nullptr);
  {
    ProgressPrinter p(out, ProgressPrinter::pick(out, false));
    for (uint64_t d = 0; d <= 1000; d += 5) p.update(d, 1000);
    p.update(1000, 1000);  // repeated final: printed once
  }
  std::fclose(out);
  const std::string s(text, len);
  std::free(text);
  EXPECT_EQ(s.find("{\"event\":\"progress\",\"done\":0,\"total\":1000}\n"), 0u) << s;
  EXPECT_NE(s.find("{\"event\":\"progress\",\"done\":1000,\"total\":1000}\n"), std::string::npos);
  size_t lines = 0;
  for (char c : s) lines += c == '\n';
  EXPECT_EQ(lines, 101u);  // 0%..100%
}

TEST(OtaProgress, BarShape) {
  char* text = nullptr;
  size_t len = 0;
  FILE* out = open_memstream(&text, &len);
  {
    ProgressPrinter p(out, ProgressPrinter::Style::kBar);
    p.update(1048576, 2097152);
    p.update(2097152, 2097152);
  }
  std::fclose(out);
  const std::string s(text, len);
  std::free(text);
  EXPECT_NE(s.find("\r[###############...............]  50% 1.0 / 2.0 MiB"), std::string::npos) << s;
  EXPECT_NE(s.find("100% 2.0 / 2.0 MiB\n"), std::string::npos) << s;
}

}  // namespace
}  // namespace edgeward::ota
