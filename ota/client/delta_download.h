// Target download through a chunked delta when the publisher made one (`ota repo add` on a
// workload image): the image's signed custom field "chunks" = {"index": NAME, "blob": NAME} names
// two targets of the same verified targets metadata — the chunk index (ota/delta/chunk_index.h)
// and the blob of zstd frames. The index is downloaded like any target (length and SHA-256
// signed), parsed as hostile input, and must describe exactly the image the metadata signs
// (length, SHA-256) and the blob's signed length; then ota/delta/assemble.h builds the image from
// chunks found in `local_files` and Range requests for the rest. Without a "chunks" field, or when
// anything on the delta path fails (a chunk with a wrong hash, a blob served short or endless, a
// server without Range support, a lying index), the full target is downloaded instead — and it
// continues the delta's verified prefix. A runtime that names a binary patch is first rebuilt from
// the patch and the binary on the device it was made against (patch_download.h); when that fails
// the target is downloaded whole too. Either way the file returned has the signed length and SHA-256.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "ota/client/patch_download.h"
#include "ota/client/refresh.h"
#include "ota/delta/assemble.h"
#include "ota/file_ops.h"
#include "ota/transport/progress.h"

namespace edgeward::ota::client {

struct DeltaOutcome {
  bool offered = false;           // the target names a chunk index
  bool used = false;              // the image was assembled from chunks
  std::string fallback_reason;    // why the full download was used although a delta was offered
  delta::AssembleReport report;
  PatchOutcome patch;             // a runtime's binary patch (patch_download.h), tried first
};

// The target's signed custom "chunks" field: {index name, blob name}, or nullopt without one.
std::optional<std::pair<std::string, std::string>> chunk_targets(const tuf::TargetFile& file);

// Files on the device whose chunks an update may reuse (and where a runtime patch's base is looked
// for, the slots' binaries first): the slots' runtime binaries, every
// workload image under <state>/workloads/, and everything in <state>/downloads/ (finished and
// partial downloads).
std::vector<std::string> local_chunk_files(const std::string& state_dir,
                                           const std::map<std::string, std::string>& slot_dirs);

Result<std::string> download_target_delta(const Repository& repo, const std::string& downloads_dir,
                                          const std::string& name, const std::map<std::string, tuf::TargetFile>& targets,
                                          bool consistent_snapshot, const std::vector<std::string>& local_files,
                                          const ProgressFn& progress, DeltaOutcome& outcome,
                                          FileOps& ops = system_file_ops());

// <state>/last-delta.json: what the last download through download_target_delta did (for `ota
// status --json`: method patch, chunks or full, bytes downloaded and their share of the target),
// replaced whole.
Status record_delta_outcome(const std::string& state_dir, const std::string& target, const DeltaOutcome& outcome,
                            uint64_t target_length, FileOps& ops = system_file_ops());

}  // namespace edgeward::ota::client
