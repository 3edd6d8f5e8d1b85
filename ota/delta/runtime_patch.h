// Runtime binary deltas (`zstd --patch-from` style): a patch is one zstd frame of the new runtime
// binary compressed with the old binary as its prefix (ZSTD_CCtx_refPrefix), so it holds little
// more than what changed. The device applies it with the running slot's binary as the prefix.
// Applying is hostile-input safe and bounded: the base must be exactly the one the signed metadata
// names (length and SHA-256, checked here), the frame must announce exactly the signed length, it is
// decompressed in one shot into a buffer of exactly that length (a frame that would make more fails
// there: nothing is written past the cap), and the result must have the signed SHA-256.
// Memory while applying: the base, the patch and the output in memory (each ≤ kMaxPatchedBytes;
// ~2 × the binary + the patch, about 8 MiB for a 4 MiB runtime) plus a zstd decompression context
// (~95 KiB); one-shot decompression into the output needs no window buffer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/result.h"

namespace edgeward::ota::delta {

// Neither the base nor the patched binary may be larger (runtimes are ≤ 4 MiB stripped).
constexpr uint64_t kMaxPatchedBytes = 64 << 20;
constexpr const char* kPatchSuffix = ".zpatch";

struct PatchTarget {
  uint64_t length = 0;
  attest::Digest sha256{};
};

// The patched binary: exactly `target.length` bytes whose SHA-256 is `target.sha256`, or an error
// saying why the patch cannot be used (another base, a frame for another length, corrupt,
// truncated, too much output, wrong digest). `what` names the patch in messages.
Result<std::vector<uint8_t>> apply_runtime_patch(std::span<const uint8_t> base, const PatchTarget& base_id,
                                                 std::span<const uint8_t> patch, const PatchTarget& target,
                                                 const std::string& what);

// The smallest window log that lets the new binary refer back to every byte of the base.
unsigned patch_window_log(uint64_t base_length, uint64_t target_length);

}  // namespace edgeward::ota::delta
