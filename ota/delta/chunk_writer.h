// Publisher side of chunked deltas: cuts an image into FastCDC chunks, compresses each one as its
// own zstd frame (level kChunkZstdLevel) into one blob, and returns the chunk index describing
// both. Only `ota repo add` links the compressor; devices only decompress (chunk_fetch.h).
#pragma once

#include <string>

#include "common/result.h"
#include "ota/delta/chunk_index.h"

namespace edgeward::ota::delta {

constexpr int kChunkZstdLevel = 3;

// Writes the blob to `blob_path` (created, fsynced; the caller renames it into place).
Result<ChunkIndex> write_chunk_blob(const std::string& image_path, const std::string& blob_path);

}  // namespace edgeward::ota::delta
