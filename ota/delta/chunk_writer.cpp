// Chunking and compressing an image for publication (see chunk_writer.h).
#include "ota/delta/chunk_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "ota/delta/fastcdc.h"

namespace edgeward::ota::delta {
namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

}  // namespace

Result<ChunkIndex> write_chunk_blob(const std::string& image_path, const std::string& blob_path) {
  EW_ASSIGN(attest::Fd in, attest::open_read(image_path));
  attest::Fd out(::open(blob_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (out.get() < 0) return Error::io(blob_path + ": cannot create: " + std::strerror(errno));
  std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  if (!cctx) return Error::internal("zstd: cannot create a compression context");
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, kChunkZstdLevel);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 1);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 0);  // each chunk has its SHA-256 in the index

  ChunkIndex ix;
  attest::Sha256 whole;
  std::vector<uint8_t> frame(ZSTD_COMPRESSBOUND(kMaxChunk));
  EW_TRY(chunk_file(in, image_path, [&](uint64_t offset, std::span<const uint8_t> bytes) -> Status {
    if (ix.chunks.size() >= kMaxChunks) return Error::invalid(image_path + ": too large for one chunk index");
    const size_t n = ZSTD_compress2(cctx.get(), frame.data(), frame.size(), bytes.data(), bytes.size());
    if (ZSTD_isError(n)) return Error::internal(std::string("zstd: ") + ZSTD_getErrorName(n));
    EW_TRY(attest::pwrite_all(out, std::span<const uint8_t>(frame.data(), n), ix.blob_length, blob_path));
    ChunkEntry c;
    c.sha256 = attest::sha256(bytes);
    c.offset = offset;
    c.blob_offset = ix.blob_length;
    c.length = static_cast<uint32_t>(bytes.size());
    c.blob_length = static_cast<uint32_t>(n);
    whole.update(bytes);
    ix.blob_length += n;
    ix.image_length += bytes.size();
    ix.chunks.push_back(c);
    return {};
  }));
  ix.image_sha256 = whole.finish();
  if (::fsync(out.get()) != 0) return Error::io(blob_path + ": fsync failed: " + std::strerror(errno));
  return ix;
}

}  // namespace edgeward::ota::delta
