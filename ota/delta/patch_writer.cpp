// Writing a runtime patch (see patch_writer.h).
#include "ota/delta/patch_writer.h"

#include <zstd.h>

#include <memory>

#include "ota/delta/runtime_patch.h"

namespace edgeward::ota::delta {
namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

}  // namespace

Result<std::vector<uint8_t>> make_runtime_patch(std::span<const uint8_t> base, std::span<const uint8_t> target,
                                                int level) {
  if (base.size() > kMaxPatchedBytes || target.size() > kMaxPatchedBytes) {
    return Error::invalid("a runtime patch is made for binaries of at most " + std::to_string(kMaxPatchedBytes >> 20) +
                          " MiB");
  }
  std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  if (!cctx) return Error::internal("zstd: cannot create a compression context");
  const int window = static_cast<int>(patch_window_log(base.size(), target.size()));
  size_t rc = ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_windowLog, window);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_enableLongDistanceMatching, 1);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 1);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 0);  // SHA-256 is signed
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_refPrefix(cctx.get(), base.data(), base.size());
  if (ZSTD_isError(rc)) return Error::internal("zstd refused the runtime patch parameters");
  std::vector<uint8_t> out(ZSTD_compressBound(target.size()));
  const size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), target.data(), target.size());
  if (ZSTD_isError(n)) return Error::internal(std::string("zstd: cannot compress the runtime patch: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

}  // namespace edgeward::ota::delta
