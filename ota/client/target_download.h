// Downloads one verified target from the repository into <downloads>/<sha256>.<basename> through
// the transport's Downloader: resumable, capped at and checked against the length and SHA-256 the
// verified targets metadata gives. The URL uses the consistent-snapshot name
// (targets/<dirs>/<sha256>.<basename>) when the root says consistent_snapshot, else targets/<name>.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "ota/client/refresh.h"
#include "ota/transport/progress.h"

namespace edgeward::ota::client {

// The target's file under targets/: "<dirs>/<sha256>.<basename>" with consistent snapshots, else NAME.
std::string target_file_name(const std::string& name, const std::string& sha256_hex, bool consistent_snapshot);

// <downloads>/<sha256>.<basename>: where a target's verified download is kept.
std::string download_path(const std::string& downloads_dir, const std::string& name, const std::string& sha256_hex);

// <downloads>/<sha256>.<basename> when it is already there, complete and verified (an earlier
// `ota download`, or an install that stopped after it), else nullopt.
std::optional<std::string> complete_download(const std::string& downloads_dir, const std::string& name,
                                             const tuf::TargetFile& file);

// Returns the path of the verified file.
Result<std::string> download_target(const Repository& repo, const std::string& downloads_dir, const std::string& name,
                                    const tuf::TargetFile& file, bool consistent_snapshot, const ProgressFn& progress);

// A small target (a chunk index, a runtime patch) downloaded and verified like any other, then
// read into memory and its file removed.
Result<std::vector<uint8_t>> download_target_bytes(const Repository& repo, const std::string& downloads_dir,
                                                   const std::string& name, const tuf::TargetFile& file,
                                                   bool consistent_snapshot, const ProgressFn& progress);

}  // namespace edgeward::ota::client
