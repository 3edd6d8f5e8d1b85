// Applying a runtime patch (see runtime_patch.h).
#include "ota/delta/runtime_patch.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <memory>

namespace edgeward::ota::delta {
namespace {

struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// zstd's error strings are stripped from the trimmed library: the codes a hostile patch causes.
std::string zstd_problem(size_t code) {
  switch (ZSTD_getErrorCode(code)) {
    case ZSTD_error_dstSize_tooSmall: return "it decompresses to more than the signed length";
    case ZSTD_error_srcSize_wrong: return "it is truncated";
    case ZSTD_error_prefix_unknown: return "it is not a zstd frame";
    case ZSTD_error_frameParameter_windowTooLarge: return "its window is larger than base and binary together";
    default: return "it is corrupt (zstd error " + std::to_string(ZSTD_getErrorCode(code)) + ")";
  }
}

}  // namespace

unsigned patch_window_log(uint64_t base_length, uint64_t target_length) {
  const uint64_t span = base_length + target_length;
  unsigned log = 10;  // zstd's smallest window
  while ((uint64_t{1} << log) < span) ++log;
  return log;
}

Result<std::vector<uint8_t>> apply_runtime_patch(std::span<const uint8_t> base, const PatchTarget& base_id,
                                                 std::span<const uint8_t> patch, const PatchTarget& target,
                                                 const std::string& what) {
  if (base.size() != base_id.length || attest::sha256(base) != base_id.sha256) {
    return Error::invalid(what + " is made against another binary than this one");
  }
  if (target.length > kMaxPatchedBytes || base.size() > kMaxPatchedBytes) {
    return Error::invalid(what + ": a patched binary may have at most " + std::to_string(kMaxPatchedBytes >> 20) + " MiB");
  }
  const unsigned long long announced = ZSTD_getFrameContentSize(patch.data(), patch.size());
  if (announced == ZSTD_CONTENTSIZE_ERROR) return Error::invalid(what + " does not start with a zstd frame header");
  if (announced != target.length) {  // also ZSTD_CONTENTSIZE_UNKNOWN: the publisher always writes it
    return Error::invalid(what + " does not announce the signed length " + std::to_string(target.length));
  }
  std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  if (!dctx) return Error::internal("zstd: cannot create a decompression context");
  // ≤ 27 (2 × 64 MiB): within what zstd decodes on 32- and 64-bit devices.
  const unsigned window = patch_window_log(base.size(), target.length);
  size_t rc = ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, static_cast<int>(window));
  if (!ZSTD_isError(rc)) rc = ZSTD_DCtx_refPrefix(dctx.get(), base.data(), base.size());
  if (ZSTD_isError(rc)) return Error::internal(what + ": zstd refused the base as prefix");
  std::vector<uint8_t> out(target.length);
  // One shot into exactly the signed length: a frame that would produce more stops at the cap.
  const size_t n = ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), patch.data(), patch.size());
  if (ZSTD_isError(n)) return Error::invalid(what + ": " + zstd_problem(n));
  if (n != target.length) {
    return Error::invalid(what + " makes " + std::to_string(n) + " bytes, the signed length is " +
                          std::to_string(target.length));
  }
  if (attest::sha256(out) != target.sha256) {
    return Error::invalid(what + " makes a binary whose SHA-256 is not the signed one");
  }
  return out;
}

}  // namespace edgeward::ota::delta
