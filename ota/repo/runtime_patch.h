// Runtime binary deltas on the publisher side: `ota repo add --kind runtime` of a new build under a
// name that is already staged with other bytes also stages NAME.zpatch — the new binary as one zstd
// frame with the staged (previous) binary as prefix (ota/delta/patch_writer.h) — as a target of
// its own, and records in the runtime's signed custom
//   "patch": {"name": "NAME.zpatch", "base_length": N, "base_sha256": HEX}
// so devices still running the previous build download only the patch (ota/client/patch_download.h).
// A patch that is not smaller than the binary is not published; --no-patch (enabled = false) and a
// first version publish none; re-adding the same bytes keeps the patch already staged. Patch files
// no unexpired metadata names are garbage-collected with the chunk files (chunks.h).
#pragma once

#include <string>

#include "common/result.h"
#include "ota/repo/layout.h"
#include "ota/repo/staging.h"

namespace edgeward::ota::repo {

// `staged` still holds the previous target of that name (if any); `runtime` is the new one, already
// stored at `runtime_path`.
Status stage_runtime_patch(const Layout& l, const std::string& name, const std::string& runtime_path, bool enabled,
                           TargetMap& staged, tuf::TargetFile& runtime);

}  // namespace edgeward::ota::repo
