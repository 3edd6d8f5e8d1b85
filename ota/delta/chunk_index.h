// The chunk index of a workload image: which chunks (FastCDC, fastcdc.h) make the image, in order,
// and where each one's zstd frame lies in the image's chunk blob. Published as its own TUF target
// (its length and SHA-256 are in the signed targets metadata); parsed here as hostile input.
//
// Format (little-endian, version 1):
//   header, 64 bytes: "EWCIDX01" | u32 chunk_count | u32 flags (0) | u64 image_length
//                     | u64 blob_length | 32 bytes SHA-256 of the whole image
//   chunk_count entries, 56 bytes each: 32 bytes SHA-256 of the chunk | u64 image_offset
//                     | u64 blob_offset | u32 length | u32 blob_length
// Rules (each refused with the entry and the field): the file is exactly header + entries;
// chunk_count <= kMaxChunks; chunks tile the image in order (offset = sum of the lengths before,
// no gap, no overlap) and their frames tile the blob the same way; 1 <= length <= kMaxChunk;
// 1 <= blob_length <= zstd's bound for length; the sums equal image_length and blob_length.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/result.h"

namespace edgeward::ota::delta {

constexpr size_t kIndexHeaderBytes = 64;
constexpr size_t kIndexEntryBytes = 56;
constexpr uint32_t kMaxChunks = 1u << 20;  // 16 GiB of image at the average chunk size
constexpr uint64_t kMaxIndexBytes = kIndexHeaderBytes + uint64_t{kMaxChunks} * kIndexEntryBytes;

struct ChunkEntry {
  attest::Digest sha256{};
  uint64_t offset = 0;       // in the image
  uint64_t blob_offset = 0;  // of its zstd frame in the blob
  uint32_t length = 0;       // in the image
  uint32_t blob_length = 0;  // of its frame
};

struct ChunkIndex {
  uint64_t image_length = 0;
  uint64_t blob_length = 0;
  attest::Digest image_sha256{};
  std::vector<ChunkEntry> chunks;
};

// `where` names the file in messages.
Result<ChunkIndex> parse_chunk_index(std::span<const uint8_t> bytes, const std::string& where);
std::vector<uint8_t> serialize_chunk_index(const ChunkIndex& index);

}  // namespace edgeward::ota::delta
