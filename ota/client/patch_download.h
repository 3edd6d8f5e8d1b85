// Runtime download through a binary patch when the publisher made one (ota/repo/runtime_patch.h):
// the runtime's signed custom "patch" = {"name", "base_length", "base_sha256"} names a target of the
// same verified targets metadata, a zstd frame that rebuilds the runtime from the binary it was
// made against (ota/delta/runtime_patch.h). The patch is used only when a file on the device — in
// practice the running slot's binary — has exactly that base length and SHA-256; it is downloaded
// like any target (capped at and checked against its signed length and SHA-256), applied in
// memory into at most the runtime's signed length, and written to <downloads>/<sha256>.<basename>
// only when the result has the runtime's signed length and SHA-256. Any failure is returned as an
// error saying why, for the caller to fall back on the full download (delta_download.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "ota/client/refresh.h"
#include "ota/file_ops.h"
#include "ota/transport/progress.h"

namespace edgeward::ota::client {

struct PatchOutcome {
  bool offered = false;         // the runtime names a patch
  bool used = false;            // the runtime was rebuilt from it
  std::string fallback_reason;  // why not, when offered
  uint64_t patch_bytes = 0;     // the patch's signed length (what was downloaded)
  std::string base;             // the local file it was applied to
};

// True when `file` has a "patch" field (well formed or not: a malformed one is a reason to report).
bool offers_patch(const tuf::TargetFile& file);

Result<std::string> download_with_patch(const Repository& repo, const std::string& downloads_dir, const std::string& name,
                                        const std::map<std::string, tuf::TargetFile>& targets, bool consistent_snapshot,
                                        const std::vector<std::string>& local_files, const ProgressFn& progress,
                                        PatchOutcome& outcome, FileOps& ops = system_file_ops());

}  // namespace edgeward::ota::client
