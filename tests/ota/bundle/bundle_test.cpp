// Offline bundles: what BundleWriter writes, BundleSource reads back member by member with the
// same offset and cap rules as the other sources; bundle URLs are parsed strictly; a bundle that
// is not committed leaves nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "ota/bundle/bundle_writer.h"
#include "ota/bundle/export.h"
#include "ota/transport/bundle_source.h"
#include "ota/transport/downloader.h"
#include "ota/transport/open_source.h"
#include "tests/ota/transport/test_server.h"

namespace edgeward::ota {
namespace {

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

std::vector<uint8_t> read_member(const std::string& url, uint64_t offset, uint64_t cap) {
  auto src = open_source(url, {});
  EXPECT_TRUE(src.ok()) << src.error().message;
  auto r = (*src)->open(offset, cap);
  EXPECT_TRUE(r.ok()) << r.error().message;
  std::vector<uint8_t> got;
  uint8_t buf[5000];
  for (;;) {
    auto n = (*src)->read(buf);
    EXPECT_TRUE(n.ok()) << n.error().message;
    if (!n.ok() || *n == 0) break;
    got.insert(got.end(), buf, buf + *n);
  }
  return got;
}

struct Bundle {
  test::ScratchDir dir;
  std::vector<uint8_t> big = test::test_bytes(300000, 7);
  std::string path = dir.file("b.tar");
  std::string url;
  Bundle() {
    test::write_all(dir.file("big"), big);
    auto w = bundle::BundleWriter::create(path);
    EXPECT_TRUE(w.ok()) << w.error().message;
    EXPECT_TRUE(w->add_bytes("metadata/timestamp.json", "{\"a\":1}").ok());
    const std::string long_name = "targets/" + std::string(64, 'f') + "." + std::string(120, 'n') + ".ewi";
    EXPECT_TRUE(w->add_file(long_name, dir.file("big"), big.size()).ok());
    EXPECT_TRUE(w->add_bytes("metadata/timestamp.json", "second copy").ok());  // the first wins
    EXPECT_TRUE(w->commit().ok());
    url = *bundle::bundle_repository_url(path);
  }
};

TEST(OtaBundle, MembersReadBackWholeAndFromAnOffset) {
  Bundle b;
  EXPECT_FALSE(exists(b.path + ".part"));
  const auto ts = read_member(b.url + "/metadata/timestamp.json", 0, 100);
  EXPECT_EQ(std::string(ts.begin(), ts.end()), "{\"a\":1}");
  const std::string big = b.url + "/targets/" + std::string(64, 'f') + "." + std::string(120, 'n') + ".ewi";
  EXPECT_EQ(read_member(big, 0, b.big.size()), b.big);
  EXPECT_EQ(read_member(big, 123457, b.big.size()), std::vector<uint8_t>(b.big.begin() + 123457, b.big.end()));
}

// A chunk blob in a bundle is read piece by piece (ota/delta/assemble.h): each range in place,
// in any order, from one source, for a member behind a long-name (pax) header too.
TEST(OtaBundle, RangesOfAMemberAreReadInPlaceInAnyOrder) {
  Bundle b;
  const std::string big = b.url + "/targets/" + std::string(64, 'f') + "." + std::string(120, 'n') + ".ewi";
  auto src = open_source(big, {});
  ASSERT_TRUE(src.ok());
  for (const auto& [at, n] : std::vector<std::pair<uint64_t, uint64_t>>{{250000, 50000}, {0, 10}, {131071, 3}, {299999, 1}}) {
    ASSERT_TRUE((*src)->open_range(at, n, b.big.size()).ok()) << at;
    std::vector<uint8_t> got(n);
    for (size_t done = 0; done < n;) {
      auto r = (*src)->read(std::span(got).subspan(done));
      ASSERT_TRUE(r.ok() && *r > 0) << at;
      done += *r;
    }
    EXPECT_TRUE(std::equal(got.begin(), got.end(), b.big.begin() + static_cast<std::ptrdiff_t>(at))) << "bytes " << at << "+" << n;
  }
  EXPECT_FALSE((*src)->open_range(299999, 2, b.big.size()).ok());  // past the member's end
}

TEST(OtaBundle, ABundleCutInsideAMemberIsRefused) {
  Bundle b;
  const std::string big = b.url + "/targets/" + std::string(64, 'f') + "." + std::string(120, 'n') + ".ewi";
  ASSERT_EQ(::truncate(b.path.c_str(), 200000), 0);
  auto src = open_source(big, {});
  ASSERT_TRUE(src.ok());
  auto r = (*src)->open(0, b.big.size());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cut short"), std::string::npos) << r.error().message;
}

TEST(OtaBundle, RefusalsNameTheMemberAndTheReason) {
  Bundle b;
  auto src = open_source(b.url + "/metadata/1.root.json", {});
  ASSERT_TRUE(src.ok());
  auto r = (*src)->open(0, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);  // the root rotation loop's "no newer root"
  EXPECT_NE(r.error().message.find("metadata/1.root.json is not in bundle"), std::string::npos) << r.error().message;

  const std::string big = b.url + "/targets/" + std::string(64, 'f') + "." + std::string(120, 'n') + ".ewi";
  auto capped = open_source(big, {});
  r = (*capped)->open(0, 1000);  // an endless member is refused before any byte is read
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than the 1000 expected"), std::string::npos) << r.error().message;
  r = (*capped)->open(b.big.size() + 1, b.big.size());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->unsatisfiable);

  for (const char* bad : {"bundle:relative.tar!/x", "bundle:/no-member.tar", "bundle:/a.tar!/", "bundle:!/x"}) {
    EXPECT_FALSE(parse_bundle_url(bad).ok()) << bad;
  }
}

TEST(OtaBundle, AnUncommittedBundleLeavesNothing) {
  test::ScratchDir dir;
  const std::string path = dir.file("x.tar");
  {
    auto w = bundle::BundleWriter::create(path);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->add_bytes("metadata/a.json", "{}").ok());
    EXPECT_TRUE(exists(path + ".part"));
  }
  EXPECT_FALSE(exists(path + ".part"));
  EXPECT_FALSE(exists(path));
}

TEST(OtaBundle, AFileShorterThanItsLengthIsRefused) {
  test::ScratchDir dir;
  test::write_all(dir.file("short"), test::test_bytes(10, 1));
  auto w = bundle::BundleWriter::create(dir.file("x.tar"));
  ASSERT_TRUE(w.ok());
  auto s = w->add_file("targets/x", dir.file("short"), 11);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("shorter than its 11 bytes"), std::string::npos) << s.error().message;
}

TEST(OtaBundle, TheDownloaderResumesFromABundleMember) {
  Bundle b;
  const std::string big = b.url + "/targets/" + std::string(64, 'f') + "." + std::string(120, 'n') + ".ewi";
  const std::string dest = b.dir.file("out");
  test::write_all(dest + ".part", std::vector<uint8_t>(b.big.begin(), b.big.begin() + 100000));
  auto src = open_source(big, {});
  ASSERT_TRUE(src.ok());
  DownloadTarget t{dest, b.big.size(), attest::sha256(std::span<const uint8_t>(b.big))};
  auto r = download(**src, t);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resumed_from, 100000u);
  EXPECT_EQ(r->fetched, b.big.size() - 100000u);
}

}  // namespace
}  // namespace edgeward::ota
