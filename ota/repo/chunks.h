// Chunked deltas on the publisher side: `ota repo add` of a workload image also stages NAME.cidx
// (the chunk index, ota/delta/chunk_index.h) and NAME.cblob (the image's chunks, each its own zstd
// frame) as targets of their own, and records {"index","blob"} in the image's custom "chunks"
// field, so the next publish signs all three (devices: ota/client/delta_download.h). Without
// chunks (--no-chunks) the image's earlier index and blob are unstaged.
// `ota repo publish` then removes index, blob and runtime patch files (runtime_patch.h) under
// targets/ that no unexpired N.targets.json and no staged entry names any more (gc_chunk_files).
#pragma once

#include <string>

#include "common/result.h"
#include "ota/repo/layout.h"
#include "ota/repo/staging.h"

namespace edgeward::ota::repo {

inline constexpr const char* kIndexSuffix = ".cidx";
inline constexpr const char* kBlobSuffix = ".cblob";

Status stage_chunks(const Layout& l, const std::string& name, const std::string& image_path, bool enabled,
                    TargetMap& staged, tuf::TargetFile& image);

// Returns the files removed.
Result<std::vector<std::string>> gc_chunk_files(const Layout& l, int64_t now);

}  // namespace edgeward::ota::repo
