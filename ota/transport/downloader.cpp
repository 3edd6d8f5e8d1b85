// Resumable, verified download (see downloader.h).
#include "ota/transport/downloader.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "common/errno_error.h"
#include "common/unique_fd.h"
#include "ota/file_ops.h"

namespace edgeward::ota {
namespace {

constexpr size_t kChunk = 1 << 20;  // the slot copy's size too: 256 reads per 256 MiB

// Hashes the first `len` bytes of an existing .part into `hash`.
Status hash_prefix(int fd, uint64_t len, attest::Sha256& hash, const std::string& path) {
  std::vector<uint8_t> buf(kChunk);
  uint64_t off = 0;
  while (off < len) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), len - off));
    const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(off));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("read " + path);
    if (n == 0) return Error::io(path + " shrank while it was being hashed");
    hash.update(std::span(buf.data(), static_cast<size_t>(n)));
    off += static_cast<uint64_t>(n);
  }
  return {};
}

Status truncate_to_zero(int fd, attest::Sha256& hash, const std::string& path) {
  if (::ftruncate(fd, 0) != 0) return errno_error("truncate " + path);
  if (::lseek(fd, 0, SEEK_SET) != 0) return errno_error("seek " + path);
  (void)hash.finish();  // resets the context
  return {};
}

// fsync, rename into place, fsync the directory (ota/file_ops.h).
Status commit(int fd, const std::string& part, const std::string& dest) {
  FileOps& ops = system_file_ops();
  EW_TRY(ops.fsync(fd, part));
  EW_TRY(ops.rename(part, dest));
  return ops.fsync_dir(parent_dir(dest));
}

}  // namespace

Result<DownloadReport> download(ByteSource& source, const DownloadTarget& t, const ProgressFn& progress) {
  const std::string part = t.dest + ".part";
  UniqueFd fd(::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return errno_error("open " + part);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return Error::io("another download of " + t.dest + " is running (" + part + " is locked)");
    return errno_error("lock " + part);
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat " + part);

  DownloadReport report;
  attest::Sha256 hash;
  uint64_t done = static_cast<uint64_t>(st.st_size);
  if (done > t.size) {
    EW_TRY(truncate_to_zero(fd.get(), hash, part));
    done = 0;
    report.restarted = true;
  } else if (done > 0) {
    EW_TRY(hash_prefix(fd.get(), done, hash, part));
  }
  if (::lseek(fd.get(), static_cast<off_t>(done), SEEK_SET) < 0) return errno_error("seek " + part);
  report.resumed_from = done;

  if (done < t.size) {
    EW_ASSIGN(OpenedRange r, source.open(done, t.size));
    if (r.unsatisfiable || (r.start == 0 && done > 0)) {
      // The source cannot continue this .part (416) or sends the whole file (200): start over.
      EW_TRY(truncate_to_zero(fd.get(), hash, part));
      done = 0;
      report.resumed_from = 0;
      report.restarted = true;
      if (r.unsatisfiable) {
        EW_ASSIGN(r, source.open(0, t.size));
        if (r.unsatisfiable) return Error::io(source.describe() + " has no bytes at all (range not satisfiable)");
      }
    }
    if (r.start != done) {
      return Error::internal(source.describe() + " opened at byte " + std::to_string(r.start) + ", asked for " +
                             std::to_string(done));
    }
    if (progress) progress(done, t.size);
    std::vector<uint8_t> buf(kChunk);
    for (;;) {
      auto n = source.read(buf);
      if (!n) {
        return std::move(n).error().context("download interrupted at byte " + std::to_string(done) + " of " +
                                            std::to_string(t.size) + " (" + part + " kept to resume)");
      }
      if (*n == 0) break;
      if (*n > t.size - done) {
        ::unlink(part.c_str());
        return Error::invalid(source.describe() + " sent more than the " + std::to_string(t.size) +
                              " bytes expected; " + part + " removed");
      }
      const std::span<const uint8_t> chunk(buf.data(), *n);
      EW_TRY(system_file_ops().write(fd.get(), chunk, part));
      hash.update(chunk);
      done += *n;
      report.fetched += *n;
      if (progress) progress(done, t.size);
    }
    if (done < t.size) {
      return Error::io(source.describe() + " ended at byte " + std::to_string(done) + " of " +
                       std::to_string(t.size) + " expected (" + part + " kept to resume)");
    }
  } else if (progress) {
    progress(done, t.size);
  }

  const attest::Digest got = hash.finish();
  if (got != t.sha256) {
    ::unlink(part.c_str());
    return Error{ErrorCode::kPermission, source.describe() + ": SHA-256 mismatch: expected " +
                                             attest::to_hex(t.sha256) + ", got " + attest::to_hex(got) + " over " +
                                             std::to_string(done) + " bytes; " + part + " removed"};
  }
  EW_TRY(commit(fd.get(), part, t.dest));
  return report;
}

}  // namespace edgeward::ota
