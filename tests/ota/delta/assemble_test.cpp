// Publisher and device halves together over file:// (the HTTP path: tests/ota/client/ota-delta-test):
// chunks reused from a local file, the rest fetched and verified; a corrupt frame, a short blob
// and an interrupted assembly — refused or resumed, never a wrong image.
#include "ota/delta/assemble.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "attest/fileio.h"
#include "ota/delta/chunk_writer.h"
#include "ota/delta/fastcdc.h"
#include "ota/transport/open_source.h"
#include "tests/ota/delta/delta_testing.h"

namespace edgeward::ota::delta {
namespace {

void write(const std::string& p, const std::vector<uint8_t>& d) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
}
std::vector<uint8_t> read(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}
bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

class Assemble : public ::testing::Test {
 protected:
  void SetUp() override {
    char t[] = "/tmp/ew-assemble-XXXXXX";
    ASSERT_NE(::mkdtemp(t), nullptr);
    dir_ = t;
    old_ = random_bytes(3 << 20, 1);
    new_ = old_;
    const auto ins = random_bytes(5000, 2);
    new_.insert(new_.begin() + (1 << 20), ins.begin(), ins.end());     // an unaligned insertion
    for (size_t i = 2 << 20; i < (2 << 20) + 30000; ++i) new_[i] ^= 0x55;  // an in-place change
    write(dir_ + "/old.img", old_);
    write(dir_ + "/new.img", new_);
    auto ix = write_chunk_blob(dir_ + "/new.img", dir_ + "/blob");
    ASSERT_TRUE(ix.ok()) << ix.error().message;
    ix_ = *ix;
  }
  void TearDown() override { (void)std::system(("rm -rf " + dir_).c_str()); }

  Result<AssembleReport> run(std::vector<std::string> local = {}) {
    EW_ASSIGN(auto src, open_source("file://" + dir_ + "/blob", {}));
    return assemble_image(ix_, *src, dir_ + "/out.img", local, {});
  }

  std::string dir_;
  std::vector<uint8_t> old_, new_;
  ChunkIndex ix_;
};

TEST_F(Assemble, ACorruptFrameIsRefusedAndOnlyVerifiedChunksAreKept) {
  auto blob = read(dir_ + "/blob");
  blob[blob.size() / 2] ^= 0xFF;  // random data: a raw block, so the same length with other bytes
  write(dir_ + "/blob", blob);
  auto r = run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermission) << r.error().message;
  EXPECT_NE(r.error().message.find("SHA-256"), std::string::npos) << r.error().message;
  EXPECT_FALSE(exists(dir_ + "/out.img"));
  const auto part = read(dir_ + "/out.img.part");
  ASSERT_LT(part.size(), new_.size());
  EXPECT_TRUE(std::equal(part.begin(), part.end(), new_.begin()));  // a verified prefix, nothing else
}

TEST_F(Assemble, AShortBlobIsRefused) {
  ASSERT_EQ(::truncate((dir_ + "/blob").c_str(), static_cast<off_t>(ix_.blob_length / 2)), 0);
  auto r = run();
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(exists(dir_ + "/out.img"));
}

TEST_F(Assemble, WithoutLocalFilesEverythingIsFetched) {
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read(dir_ + "/out.img"), new_);
  EXPECT_EQ(r->reused_bytes, 0u);
  EXPECT_EQ(r->downloaded_bytes, ix_.blob_length);
  EXPECT_FALSE(exists(dir_ + "/out.img.part"));
}

TEST_F(Assemble, ChunksOfTheOldImageAreReused) {
  auto r = run({dir_ + "/old.img", dir_ + "/missing.img"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read(dir_ + "/out.img"), new_);
  EXPECT_EQ(r->reused_bytes + r->fetched_bytes, new_.size());
  EXPECT_GT(r->reused_bytes, new_.size() * 9 / 10);
  EXPECT_LT(r->downloaded_bytes, ix_.blob_length / 10);
  EXPECT_GE(r->requests, 2u);  // two separate changes
}

TEST_F(Assemble, AnInterruptedAssemblyResumesFromItsVerifiedPrefix) {
  std::vector<uint8_t> part(new_.begin(), new_.begin() + (1 << 20) + 123);  // mid-chunk
  part.insert(part.end(), 5000, 0xAB);                                       // and garbage
  write(dir_ + "/out.img.part", part);
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read(dir_ + "/out.img"), new_);
  EXPECT_GT(r->resumed_bytes, (1 << 20) - kMaxChunk);
  EXPECT_LE(r->resumed_bytes, (1u << 20) + 123);
  EXPECT_LT(r->downloaded_bytes, ix_.blob_length);
}

TEST_F(Assemble, ALocalFileThatIsNotTheImageContributesNothingWrong) {
  write(dir_ + "/other.img", random_bytes(1 << 20, 9));
  auto r = run({dir_ + "/other.img"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read(dir_ + "/out.img"), new_);
  EXPECT_EQ(r->reused_bytes, 0u);
}

}  // namespace
}  // namespace edgeward::ota::delta
