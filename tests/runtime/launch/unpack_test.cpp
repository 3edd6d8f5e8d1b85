// Unpacking hostile and good rootfs archives: nothing lands outside the directory, nothing is
// left behind on error, setuid bits and device nodes never appear.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "attest/crypto/sha256.h"
#include "attest/fileio.h"
#include "runtime/launch/unpack.h"
#include "tests/runtime/launch/tar_writer.h"

namespace edgeward::launch {
namespace {

using testing::make_tar;
using testing::TarEntry;

class Unpack : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (std::filesystem::temp_directory_path() / "ew-unpack-XXXXXX").string();
    dir_ = ::mkdtemp(t.data());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes the archive as an "image" at offset 512 (like a component) and unpacks it.
  Result<UnpackStats> unpack(const std::vector<uint8_t>& tar, UnpackLimits limits = {}, bool corrupt_digest = false) {
    std::vector<uint8_t> img(512, 0xAB);
    img.insert(img.end(), tar.begin(), tar.end());
    img.resize(img.size() + 100, 0xCD);  // the next component
    EXPECT_TRUE(attest::write_file_atomic(dir_ + "/img", img).ok());
    attest::Component c;
    c.kind = attest::ComponentKind::kRootfsArchive;
    c.name = "rootfs-archive";
    c.offset = 512;
    c.size = tar.size();
    c.sha256 = attest::sha256(tar);
    if (corrupt_digest) c.sha256[0] ^= 1;
    return unpack_rootfs(dir_ + "/img", c, dest(), limits);
  }
  std::string dest() const { return dir_ + "/rootfs"; }
  std::string dir_;
};

struct Hostile {
  const char* what;
  std::vector<TarEntry> entries;
  const char* error;
};

TEST_F(Unpack, RefusesHostileArchivesAndLeavesNothing) {
  const Hostile cases[] = {
      {"absolute path", {{"/etc/evil", AE_IFREG, 0644, "x"}}, "absolute path refused"},
      {"dot-dot", {{"a/../../evil", AE_IFREG, 0644, "x"}}, "'..' refused"},
      {"device node", {{"dev/mem", AE_IFCHR, 0600}}, "device nodes"},
      {"fifo", {{"tmp/fifo", AE_IFIFO, 0600}}, "device nodes, FIFOs"},
      {"symlink escape", {{"esc", AE_IFLNK, 0777, "/tmp"}, {"esc/planted", AE_IFREG, 0644, "x"}}, "is not a directory"},
      {"relative symlink escape", {{"up", AE_IFLNK, 0777, "../.."}, {"up/planted", AE_IFREG, 0644, "x"}},
       "is not a directory"},
      {"hard link out", {{"h", AE_IFREG, 0644, "", "../../etc/passwd"}}, "'..' refused"},
      {"file below a file", {{"f", AE_IFREG, 0644, "x"}, {"f/g", AE_IFREG, 0644, "y"}}, "is not a directory"},
  };
  for (const auto& c : cases) {
    auto r = unpack(make_tar(c.entries));
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.what << ": " << r.error().message;
    EXPECT_FALSE(std::filesystem::exists(dest())) << c.what << ": the half-unpacked directory was left";
  }
  EXPECT_FALSE(std::filesystem::exists("/tmp/planted"));
}

TEST_F(Unpack, RefusesWhatExceedsTheLimits) {
  auto big = unpack(make_tar({{"a", AE_IFREG, 0644, std::string(5000, 'a')}}), {.max_total_bytes = 4096});
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("exceeds the limit"), std::string::npos) << big.error().message;
  auto many = unpack(make_tar({{"a"}, {"b"}, {"c"}}), {.max_entries = 2});
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.error().message.find("more than 2 entries"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dest()));
}

TEST_F(Unpack, RefusesGarbageAndBytesThatDoNotMatchTheSignedDigest) {
  auto garbage = unpack(std::vector<uint8_t>(4096, 'z'));
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("not a valid tar archive"), std::string::npos) << garbage.error().message;
  auto changed = unpack(make_tar({{"a", AE_IFREG, 0644, "x"}}), {}, /*corrupt_digest=*/true);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, ErrorCode::kPermission);
  EXPECT_NE(changed.error().message.find("does not match its signed digest"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dest()));
  std::filesystem::create_directory(dest());
  auto exists = unpack(make_tar({{"a"}}));
  EXPECT_FALSE(exists.ok()) << "an existing destination is never reused";
}

TEST_F(Unpack, UnpacksFilesLinksAndDropsSetuid) {
  auto r = unpack(make_tar({
      {"./", AE_IFDIR, 0755},
      {"bin/", AE_IFDIR, 0755},
      {"bin/busybox", AE_IFREG, 04755, "#!binary"},
      {"bin/sh", AE_IFLNK, 0777, "busybox"},
      {"bin/ls", AE_IFREG, 0644, "", "bin/busybox"},
      {"etc/deep/conf", AE_IFREG, 0600, "k=v\n"},  // parents not listed: created
      {"tmp/", AE_IFDIR, 01777},
  }));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->entries, 6u);
  struct stat st{};
  ASSERT_EQ(::stat((dest() + "/bin/busybox").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u) << "setuid dropped";
  EXPECT_EQ(st.st_nlink, 2u) << "bin/ls is a hard link";
  EXPECT_EQ(std::filesystem::read_symlink(dest() + "/bin/sh"), "busybox");
  std::ifstream conf(dest() + "/etc/deep/conf");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(conf), {}), "k=v\n");
  ASSERT_EQ(::stat((dest() + "/etc/deep/conf").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace edgeward::launch
