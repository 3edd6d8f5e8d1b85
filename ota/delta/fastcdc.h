// Content-defined chunking (FastCDC, Xia et al. 2016/2020, normalized chunking level 2): a gear
// rolling hash over the bytes cuts a chunk where its masked bits are zero, so an insertion moves
// only the cuts around it and every other chunk is found again byte for byte. The gear table is
// fixed (generated from a fixed seed, gear_table()), so the publisher and every device cut the
// same bytes the same way; changing it or the sizes below changes every chunk (a new format).
//   min 4 KiB (no cut before), average ~16 KiB, max 64 KiB (forced cut).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "attest/fileio.h"
#include "common/result.h"

namespace edgeward::ota::delta {

constexpr size_t kMinChunk = 4 * 1024;
constexpr size_t kAvgChunk = 16 * 1024;
constexpr size_t kMaxChunk = 64 * 1024;

const std::array<uint64_t, 256>& gear_table();

// Length of the chunk starting at data[0]: data.size() when it is at most kMinChunk (the last
// chunk of a file), else a cut in (kMinChunk, min(size, kMaxChunk)]. Unless data holds the rest
// of the file it must hold at least kMaxChunk bytes, so that the cut does not depend on buffering.
size_t next_cut(std::span<const uint8_t> data);

// Calls `each(offset, bytes)` for every chunk of the file read from `fd` (all of it, in order);
// an error from `each` stops the walk and is returned.
using ChunkFn = std::function<Status(uint64_t offset, std::span<const uint8_t> bytes)>;
Status chunk_file(const attest::Fd& fd, const std::string& path, const ChunkFn& each);

}  // namespace edgeward::ota::delta
