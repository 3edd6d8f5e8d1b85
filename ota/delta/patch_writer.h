// Publisher side of runtime binary deltas (runtime_patch.h): the new binary compressed as one zstd
// frame with the old binary as its prefix (what `zstd --patch-from=OLD NEW` writes), content size in
// the header, the window just large enough to reach back over the whole base. Only `ota repo add`
// links the compressor; devices only decompress.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace edgeward::ota::delta {

// Level 9: a one-line change of a 3.7 MiB runtime patches to a few KiB in ~2 s; higher levels
// (btopt and up) take ten times longer for a few percent less.
constexpr int kPatchZstdLevel = 9;

Result<std::vector<uint8_t>> make_runtime_patch(std::span<const uint8_t> base, std::span<const uint8_t> target,
                                                int level = kPatchZstdLevel);

}  // namespace edgeward::ota::delta
