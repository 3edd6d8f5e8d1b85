// Merkle tree over 4 KiB blocks (dm-verity style, no salt) for large rootfs disk images.
//
// Level 0 holds SHA-256 of every 4 KiB data block (the last one zero-padded), packed 128 per
// 4 KiB hash block, zero-padded; level n+1 holds SHA-256 of every hash block of level n; the top
// level is one hash block and root = SHA-256(top block). The stored tree is the levels
// concatenated bottom-up (level 0 first). The manifest carries the root, so:
//  - `image verify` rebuilds the tree from the data on all cores and compares it (verify_merkle);
//  - the VMM's virtio-blk checks blocks lazily on first read (MerkleBlockVerifier).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "attest/crypto/sha256.h"
#include "attest/fileio.h"
#include "common/result.h"

namespace edgeward::attest {

constexpr uint64_t kMerkleBlock = 4096;
constexpr uint64_t kDigestsPerBlock = kMerkleBlock / 32;

struct MerkleGeometry {
  uint64_t data_blocks = 0;
  std::vector<uint64_t> level_blocks;  // hash blocks per level, level 0 first
  uint64_t tree_bytes() const;
  uint64_t level_offset(size_t level) const;  // byte offset of a level inside the tree
};

MerkleGeometry merkle_geometry(uint64_t data_size);

struct MerkleTree {
  std::vector<uint8_t> bytes;  // all levels, bottom-up
  Digest root{};
};

// Builds the tree over [offset, offset + size) of `fd`, hashing data blocks on `threads` threads.
Result<MerkleTree> build_merkle_tree(const Fd& fd, const std::string& path, uint64_t offset, uint64_t size,
                                     unsigned threads);

// Rebuilds the tree from the data and checks it against `root` and the stored tree bytes at
// [tree_offset, tree_offset + tree_size); errors name `what`, the level and the block.
Status verify_merkle(const Fd& fd, const std::string& path, uint64_t offset, uint64_t size, uint64_t tree_offset,
                     uint64_t tree_size, const Digest& root, unsigned threads, const std::string& what);

// Lazy per-block verification for a reader of the data (virtio-blk): hash blocks are checked up
// to the root the first time they are needed and remembered as good.
class MerkleBlockVerifier {
 public:
  // `tree` is the stored tree (read from the image); its size must match the geometry.
  static Result<MerkleBlockVerifier> create(uint64_t data_size, std::vector<uint8_t> tree, const Digest& root);
  // `data` is data block `index` (the last block may be short; it is zero-padded for hashing).
  Status verify_block(uint64_t index, std::span<const uint8_t> data);

 private:
  MerkleBlockVerifier() = default;
  Status verify_hash_block(size_t level, uint64_t block);

  MerkleGeometry geo_;
  uint64_t data_size_ = 0;
  std::vector<uint8_t> tree_;
  Digest root_{};
  std::vector<std::vector<bool>> verified_;  // per level, per hash block
};

}  // namespace edgeward::attest
