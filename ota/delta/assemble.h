// Device side of chunked deltas: builds a workload image from its verified chunk index, taking
// every chunk it can from files already on the device (local_chunks.h) and fetching the others
// from the image's chunk blob with HTTP Range requests (adjacent pieces coalesced into one
// request). Each fetched frame is decompressed into at most its chunk's length and its SHA-256
// checked; each local chunk is re-read and checked too; the image is written in order to
// DEST.part (flock()ed) and renamed to DEST only when its length and SHA-256 equal the index's
// (which the caller has matched with the signed target). An existing DEST.part is kept up to its
// last verified chunk, so an interrupted assembly resumes; since it is always a verified prefix of
// the image, a full download (downloader.h) can continue it too. Every write, fsync and rename
// goes through `ops` (ota/file_ops.h), where the power-cut harness cuts it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "ota/delta/chunk_index.h"
#include "ota/file_ops.h"
#include "ota/transport/byte_source.h"
#include "ota/transport/progress.h"

namespace edgeward::ota::delta {

// Fetched pieces of the blob separated by at most this many bytes of frames found locally are
// fetched as one request (the gap is read and dropped); one request asks for at most kMaxRequest.
constexpr uint64_t kCoalesceGap = 8 * 1024;
constexpr uint64_t kMaxRequest = 8 << 20;

struct AssembleReport {
  uint64_t image_bytes = 0;
  uint64_t resumed_bytes = 0;     // verified prefix of an earlier DEST.part
  uint64_t reused_bytes = 0;      // image bytes copied from local files
  uint64_t fetched_bytes = 0;     // image bytes decompressed from fetched frames
  uint64_t downloaded_bytes = 0;  // blob bytes received (frames and coalesced gaps)
  uint64_t requests = 0;
  uint64_t scanned_bytes = 0;     // local bytes chunked to find reusable chunks
};

Result<AssembleReport> assemble_image(const ChunkIndex& index, ByteSource& blob, const std::string& dest,
                                      const std::vector<std::string>& local_files, const ProgressFn& progress,
                                      FileOps& ops = system_file_ops());

}  // namespace edgeward::ota::delta
