// Merkle tree: geometry, full verification on several threads, lazy per-block verification.
#include "attest/image/merkle.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <random>

#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

TEST(Merkle, Geometry) {
  struct Case {
    uint64_t size, blocks;
    std::vector<uint64_t> levels;
  };
  const Case cases[] = {
      {1, 1, {1}},
      {4096, 1, {1}},
      {4096 * 128, 128, {1}},
      {4096 * 128 + 1, 129, {2, 1}},
      {uint64_t{1} << 30, 262144, {2048, 16, 1}},
  };
  for (const auto& c : cases) {
    const auto g = merkle_geometry(c.size);
    EXPECT_EQ(g.data_blocks, c.blocks) << c.size;
    EXPECT_EQ(g.level_blocks, c.levels) << c.size;
  }
}

class MerkleFile : public ::testing::Test {
 protected:
  void SetUp() override {
    data.resize(4096 * 300 + 123);  // 301 blocks: 3 leaf hash blocks + 1 top block
    std::mt19937 rng(7);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    path = dir.file("data");
    testing::write_bytes(path, data);
    fd = must(open_read(path));
  }
  testing::TempDir dir;
  std::vector<uint8_t> data;
  std::string path;
  Fd fd;
};

TEST_F(MerkleFile, ThreadCountDoesNotChangeTheTree) {
  auto one = must(build_merkle_tree(fd, path, 0, data.size(), 1));
  auto two = must(build_merkle_tree(fd, path, 0, data.size(), 2));
  auto five = must(build_merkle_tree(fd, path, 0, data.size(), 5));
  EXPECT_EQ(one.root, two.root);
  EXPECT_EQ(one.bytes, five.bytes);
  EXPECT_EQ(one.bytes.size(), merkle_geometry(data.size()).tree_bytes());
}

TEST_F(MerkleFile, LazyVerifierRefusesTamperedBlockAndTree) {
  auto tree = must(build_merkle_tree(fd, path, 0, data.size(), 2));
  auto v = must(MerkleBlockVerifier::create(data.size(), tree.bytes, tree.root));
  const uint64_t last = data.size() / 4096;
  std::vector<uint8_t> block(data.begin() + 4096 * 7, data.begin() + 4096 * 8);
  EXPECT_TRUE(v.verify_block(7, block).ok());
  EXPECT_TRUE(v.verify_block(last, std::span(data).subspan(last * 4096)).ok());
  block[100] ^= 1;
  auto bad = v.verify_block(7, block);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("data block 7"), std::string::npos);
  EXPECT_FALSE(v.verify_block(last + 1, block).ok());
  EXPECT_FALSE(v.verify_block(3, std::span(block).first(100)).ok());  // short non-final block

  auto tampered = tree.bytes;
  tampered[5] ^= 1;  // leaf hash of block 0
  auto v2 = must(MerkleBlockVerifier::create(data.size(), tampered, tree.root));
  EXPECT_FALSE(v2.verify_block(0, std::span(data).first(4096)).ok());
  EXPECT_FALSE(MerkleBlockVerifier::create(data.size(), std::vector<uint8_t>(10), tree.root).ok());
}

TEST_F(MerkleFile, FullVerifyNamesWhatDiffers) {
  auto tree = must(build_merkle_tree(fd, path, 0, data.size(), 2));
  const std::string tree_path = dir.file("tree");
  auto combined = data;
  combined.resize(4096 * 302, 0);
  const uint64_t tree_off = combined.size();
  combined.insert(combined.end(), tree.bytes.begin(), tree.bytes.end());
  testing::write_bytes(tree_path, combined);
  auto tfd = must(open_read(tree_path));
  EXPECT_TRUE(verify_merkle(tfd, tree_path, 0, data.size(), tree_off, tree.bytes.size(), tree.root, 2, "disk").ok());
  Digest wrong = tree.root;
  wrong[0] ^= 1;
  auto st = verify_merkle(tfd, tree_path, 0, data.size(), tree_off, tree.bytes.size(), wrong, 2, "disk");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("signed Merkle root"), std::string::npos);
  combined[tree_off + 4096 * 3 + 2000] ^= 1;  // padding inside the top-level block
  testing::write_bytes(tree_path, combined);
  auto tfd2 = must(open_read(tree_path));
  st = verify_merkle(tfd2, tree_path, 0, data.size(), tree_off, tree.bytes.size(), tree.root, 2, "disk");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("stored Merkle tree differs at level 1"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace edgeward::attest
