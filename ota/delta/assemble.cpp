// Building an image from local and fetched chunks (see assemble.h).
#include "ota/delta/assemble.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <memory>

#include "attest/fileio.h"
#include "common/errno_error.h"
#include "common/unique_fd.h"
#include "ota/delta/fastcdc.h"
#include "ota/delta/local_chunks.h"
#include "ota/file_ops.h"

namespace edgeward::ota::delta {
namespace {

struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

Status pread_all(int fd, std::span<uint8_t> out, uint64_t offset, const std::string& path) {
  size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("read " + path);
    if (n == 0) return Error::io(path + " is shorter than expected");
    got += static_cast<size_t>(n);
  }
  return {};
}

Status read_exact(ByteSource& src, std::span<uint8_t> out) {
  size_t got = 0;
  while (got < out.size()) {
    EW_ASSIGN(size_t n, src.read(out.subspan(got)));
    if (n == 0) return Error::io(src.describe() + ": the blob ended before the requested range did");
    got += n;
  }
  return {};
}

// One coalesced request: chunks [first, last] of the index, blob bytes [begin, end).
struct Request {
  size_t first = 0, last = 0;
};

std::vector<Request> plan_requests(const ChunkIndex& ix, size_t from, const std::vector<bool>& local) {
  std::vector<Request> out;
  for (size_t i = from; i < ix.chunks.size(); ++i) {
    if (local[i]) continue;
    if (!out.empty()) {
      Request& r = out.back();
      const uint64_t gap = ix.chunks[i].blob_offset - (ix.chunks[r.last].blob_offset + ix.chunks[r.last].blob_length);
      const uint64_t size = ix.chunks[i].blob_offset + ix.chunks[i].blob_length - ix.chunks[r.first].blob_offset;
      if (gap <= kCoalesceGap && size <= kMaxRequest) {
        r.last = i;
        continue;
      }
    }
    out.push_back({i, i});
  }
  return out;
}

// Keeps the longest prefix of `fd` made of the index's chunks, hashing it into `whole`.
Result<size_t> verified_prefix(int fd, const ChunkIndex& ix, attest::Sha256& whole, const std::string& part) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return errno_error("stat " + part);
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  std::vector<uint8_t> buf(kMaxChunk);
  size_t i = 0;
  for (; i < ix.chunks.size(); ++i) {
    const ChunkEntry& c = ix.chunks[i];
    if (c.offset + c.length > size) break;
    const std::span<uint8_t> b(buf.data(), c.length);
    EW_TRY(pread_all(fd, b, c.offset, part));
    if (attest::sha256(b) != c.sha256) break;
    whole.update(b);
  }
  const uint64_t keep = i < ix.chunks.size() ? ix.chunks[i].offset : ix.image_length;
  if (::ftruncate(fd, static_cast<off_t>(keep)) != 0) return errno_error("truncate " + part);
  if (::lseek(fd, static_cast<off_t>(keep), SEEK_SET) < 0) return errno_error("seek " + part);
  return i;
}

}  // namespace

Result<AssembleReport> assemble_image(const ChunkIndex& ix, ByteSource& blob, const std::string& dest,
                                      const std::vector<std::string>& local_files, const ProgressFn& progress,
                                      FileOps& ops) {
  const std::string part = dest + ".part";
  UniqueFd fd(::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return errno_error("open " + part);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return Error::io("another download of " + dest + " is running (" + part + " is locked)");
    return errno_error("lock " + part);
  }
  AssembleReport report;
  report.image_bytes = ix.image_length;
  attest::Sha256 whole;
  EW_ASSIGN(const size_t start, verified_prefix(fd.get(), ix, whole, part));
  report.resumed_bytes = start < ix.chunks.size() ? ix.chunks[start].offset : ix.image_length;

  std::unordered_set<attest::Digest, DigestHash> wanted;
  for (size_t i = start; i < ix.chunks.size(); ++i) wanted.insert(ix.chunks[i].sha256);
  std::vector<std::string> files;
  for (const std::string& f : local_files) {
    if (f != part && f != dest) files.push_back(f);
  }
  const LocalChunks found = wanted.empty() ? LocalChunks{} : find_local_chunks(files, wanted);
  report.scanned_bytes = found.scanned_bytes;
  std::vector<bool> local(ix.chunks.size(), false);
  for (size_t i = start; i < ix.chunks.size(); ++i) local[i] = found.where.count(ix.chunks[i].sha256) != 0;
  const std::vector<Request> requests = plan_requests(ix, start, local);

  std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  if (!dctx) return Error::internal("zstd: cannot create a decompression context");
  std::vector<attest::Fd> open_files(found.files.size());
  std::vector<uint8_t> frame(ZSTD_COMPRESSBOUND(kMaxChunk)), chunk(kMaxChunk);
  size_t next_request = 0;
  bool in_request = false;
  uint64_t done = report.resumed_bytes;
  if (progress) progress(done, ix.image_length);
  for (size_t i = start; i < ix.chunks.size(); ++i) {
    const ChunkEntry& c = ix.chunks[i];
    const std::string at = "chunk " + std::to_string(i) + " (image bytes " + std::to_string(c.offset) + "+" +
                           std::to_string(c.length) + ")";
    if (!in_request && next_request < requests.size() && requests[next_request].first == i) {
      const Request& r = requests[next_request];
      const uint64_t begin = ix.chunks[r.first].blob_offset;
      const uint64_t end = ix.chunks[r.last].blob_offset + ix.chunks[r.last].blob_length;
      EW_TRY(blob.open_range(begin, end - begin, ix.blob_length));
      ++report.requests;
      in_request = true;
    }
    const std::span<uint8_t> out(chunk.data(), c.length);
    bool have = false;
    if (in_request) {
      const std::span<uint8_t> f(frame.data(), c.blob_length);
      EW_TRY(read_exact(blob, f));
      report.downloaded_bytes += c.blob_length;
      if (!local[i]) {
        const size_t n = ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), f.data(), f.size());
        if (ZSTD_isError(n) || n != c.length) {
          return Error{ErrorCode::kPermission, blob.describe() + ": " + at + " does not decompress to its " +
                                                   std::to_string(c.length) + " bytes" +
                                                   (ZSTD_isError(n) ? std::string(" (") + ZSTD_getErrorName(n) + ")" : "")};
        }
        if (attest::sha256(out) != c.sha256) {
          return Error{ErrorCode::kPermission, blob.describe() + ": " + at + " has the wrong SHA-256: refused"};
        }
        report.fetched_bytes += c.length;
        have = true;
      }
      if (i == requests[next_request].last) {
        in_request = false;
        ++next_request;
      }
    }
    if (!have) {
      const ChunkLocation& loc = found.where.at(c.sha256);
      const std::string& path = found.files[loc.file];
      if (open_files[loc.file].get() < 0) {
        EW_ASSIGN(open_files[loc.file], attest::open_read(path));
      }
      EW_TRY(pread_all(open_files[loc.file].get(), out, loc.offset, path));
      if (attest::sha256(out) != c.sha256) {
        return Error::io(path + " changed while " + at + " was taken from it (" + part + " kept: run the update again)");
      }
      report.reused_bytes += c.length;
    }
    EW_TRY(ops.write(fd.get(), out, part));
    whole.update(out);
    done += c.length;
    if (progress) progress(done, ix.image_length);
  }
  if (whole.finish() != ix.image_sha256) {
    ::unlink(part.c_str());
    return Error{ErrorCode::kPermission, part + ": the assembled image does not have the SHA-256 of its index: removed"};
  }
  EW_TRY(ops.fsync(fd.get(), part));
  EW_TRY(ops.rename(part, dest));
  EW_TRY(ops.fsync_dir(parent_dir(dest)));
  return report;
}

}  // namespace edgeward::ota::delta
