#include "attest/image/merkle.h"

#include <algorithm>
#include <cstring>
#include <thread>

#include "attest/error.h"

namespace edgeward::attest {
namespace {

constexpr uint64_t kChunkBlocks = 256;  // 1 MiB per read

// Hashes data blocks [first, last) into `leaves` (32 bytes each, indexed by block).
Status hash_range(const Fd& fd, const std::string& path, uint64_t offset, uint64_t size, uint64_t first,
                  uint64_t last, uint8_t* leaves) {
  std::vector<uint8_t> buf(kChunkBlocks * kMerkleBlock);
  for (uint64_t b = first; b < last; b += kChunkBlocks) {
    const uint64_t n = std::min(kChunkBlocks, last - b);
    const uint64_t start = b * kMerkleBlock;
    const uint64_t len = std::min(n * kMerkleBlock, size - start);
    std::fill(buf.begin() + static_cast<ptrdiff_t>(len), buf.begin() + static_cast<ptrdiff_t>(n * kMerkleBlock), 0);
    EW_TRY(pread_exact(fd, std::span(buf.data(), len), offset + start, path));
    for (uint64_t i = 0; i < n; ++i) {
      const Digest d = sha256(std::span(buf.data() + i * kMerkleBlock, kMerkleBlock));
      std::memcpy(leaves + (b + i) * 32, d.data(), 32);
    }
  }
  return {};
}

}  // namespace

uint64_t MerkleGeometry::tree_bytes() const { return level_offset(level_blocks.size()); }

uint64_t MerkleGeometry::level_offset(size_t level) const {
  uint64_t off = 0;
  for (size_t i = 0; i < level && i < level_blocks.size(); ++i) off += level_blocks[i] * kMerkleBlock;
  return off;
}

MerkleGeometry merkle_geometry(uint64_t data_size) {
  MerkleGeometry g;
  g.data_blocks = (data_size + kMerkleBlock - 1) / kMerkleBlock;
  uint64_t entries = g.data_blocks;
  do {
    const uint64_t blocks = (entries + kDigestsPerBlock - 1) / kDigestsPerBlock;
    g.level_blocks.push_back(std::max<uint64_t>(blocks, 1));
    entries = blocks;
  } while (entries > 1);
  return g;
}

Result<MerkleTree> build_merkle_tree(const Fd& fd, const std::string& path, uint64_t offset, uint64_t size,
                                     unsigned threads) {
  const MerkleGeometry g = merkle_geometry(size);
  MerkleTree t;
  t.bytes.assign(g.tree_bytes(), 0);
  // Level 0: the data blocks, split into contiguous ranges, one per thread.
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<uint64_t>(g.data_blocks / 64, 1))));
  std::vector<Status> results(threads);
  {
    std::vector<std::jthread> workers;
    const uint64_t per = (g.data_blocks + threads - 1) / threads;
    for (unsigned i = 0; i < threads; ++i) {
      const uint64_t first = std::min(g.data_blocks, i * per), last = std::min(g.data_blocks, first + per);
      workers.emplace_back([&, i, first, last] {
        results[i] = hash_range(fd, path, offset, size, first, last, t.bytes.data());
      });
    }
  }
  for (auto& r : results) EW_TRY(std::move(r));
  // Upper levels: small (1/128 of the level below), hashed on this thread.
  for (size_t level = 1; level < g.level_blocks.size(); ++level) {
    const uint8_t* below = t.bytes.data() + g.level_offset(level - 1);
    uint8_t* here = t.bytes.data() + g.level_offset(level);
    for (uint64_t b = 0; b < g.level_blocks[level - 1]; ++b) {
      const Digest d = sha256(std::span(below + b * kMerkleBlock, kMerkleBlock));
      std::memcpy(here + b * 32, d.data(), 32);
    }
  }
  t.root = sha256(std::span(t.bytes.data() + g.level_offset(g.level_blocks.size() - 1), kMerkleBlock));
  return t;
}

Status verify_merkle(const Fd& fd, const std::string& path, uint64_t offset, uint64_t size, uint64_t tree_offset,
                     uint64_t tree_size, const Digest& root, unsigned threads, const std::string& what) {
  const MerkleGeometry g = merkle_geometry(size);
  if (tree_size != g.tree_bytes()) {
    return make_error(Errc::kUntrusted, what + ": Merkle tree is " + std::to_string(tree_size) + " bytes, expected " +
                                            std::to_string(g.tree_bytes()) + " for " + std::to_string(size) +
                                            " bytes of data");
  }
  EW_ASSIGN(MerkleTree t, build_merkle_tree(fd, path, offset, size, threads));
  if (t.root != root) {
    return make_error(Errc::kUntrusted, what + ": data does not match the signed Merkle root (content was modified)");
  }
  std::vector<uint8_t> stored(tree_size);
  EW_TRY(pread_exact(fd, stored, tree_offset, path));
  for (size_t level = 0; level < g.level_blocks.size(); ++level) {
    for (uint64_t b = 0; b < g.level_blocks[level]; ++b) {
      const uint64_t at = g.level_offset(level) + b * kMerkleBlock;
      if (std::memcmp(stored.data() + at, t.bytes.data() + at, kMerkleBlock) != 0) {
        return make_error(Errc::kUntrusted, what + ": stored Merkle tree differs at level " + std::to_string(level) +
                                                " hash block " + std::to_string(b) + " (tree was modified)");
      }
    }
  }
  return {};
}

Result<MerkleBlockVerifier> MerkleBlockVerifier::create(uint64_t data_size, std::vector<uint8_t> tree,
                                                        const Digest& root) {
  MerkleBlockVerifier v;
  v.geo_ = merkle_geometry(data_size);
  if (tree.size() != v.geo_.tree_bytes()) {
    return make_error(Errc::kMalformed, "Merkle tree is " + std::to_string(tree.size()) + " bytes, expected " +
                                            std::to_string(v.geo_.tree_bytes()));
  }
  v.data_size_ = data_size;
  v.tree_ = std::move(tree);
  v.root_ = root;
  for (uint64_t n : v.geo_.level_blocks) v.verified_.emplace_back(n, false);
  return v;
}

Status MerkleBlockVerifier::verify_hash_block(size_t level, uint64_t block) {
  if (verified_[level][block]) return {};
  const Digest d = sha256(std::span(tree_.data() + geo_.level_offset(level) + block * kMerkleBlock, kMerkleBlock));
  if (level + 1 == geo_.level_blocks.size()) {
    if (d != root_) return make_error(Errc::kUntrusted, "Merkle tree top block does not match the signed root");
  } else {
    const uint64_t parent = block / kDigestsPerBlock;
    EW_TRY(verify_hash_block(level + 1, parent));
    const uint8_t* expect = tree_.data() + geo_.level_offset(level + 1) + block * 32;
    if (std::memcmp(expect, d.data(), 32) != 0) {
      return make_error(Errc::kUntrusted, "Merkle hash block " + std::to_string(block) + " at level " +
                                              std::to_string(level) + " does not match its parent");
    }
  }
  verified_[level][block] = true;
  return {};
}

Status MerkleBlockVerifier::verify_block(uint64_t index, std::span<const uint8_t> data) {
  if (index >= geo_.data_blocks) {
    return make_error(Errc::kMalformed, "block " + std::to_string(index) + " is past the end of the data");
  }
  const uint64_t expect_len = std::min(kMerkleBlock, data_size_ - index * kMerkleBlock);
  if (data.size() != expect_len) {
    return make_error(Errc::kMalformed, "block " + std::to_string(index) + " must be " + std::to_string(expect_len) +
                                            " bytes, got " + std::to_string(data.size()));
  }
  uint8_t block[kMerkleBlock] = {};
  std::memcpy(block, data.data(), data.size());
  EW_TRY(verify_hash_block(0, index / kDigestsPerBlock));
  const Digest d = sha256(std::span(block, kMerkleBlock));
  if (std::memcmp(tree_.data() + index * 32, d.data(), 32) != 0) {
    return make_error(Errc::kUntrusted, "data block " + std::to_string(index) + " does not match the Merkle tree");
  }
  return {};
}

}  // namespace edgeward::attest
