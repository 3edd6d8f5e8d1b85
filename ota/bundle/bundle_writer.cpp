// Offline bundle writer (see bundle_writer.h).
#include "ota/bundle/bundle_writer.h"

#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "common/errno_error.h"
#include "ota/file_ops.h"

namespace edgeward::ota::bundle {
namespace {

struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

}  // namespace

Result<BundleWriter> BundleWriter::create(const std::string& out) {
  const std::string part = out + ".part";
  UniqueFd fd(::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd.valid()) return errno_error("create " + part);
  archive* a = archive_write_new();
  if (a == nullptr) return Error::internal("libarchive: out of memory");
  BundleWriter w(out, std::move(fd), a);
  if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK || archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
      archive_write_open_fd(a, w.fd_.get()) != ARCHIVE_OK) {
    return w.failed("start " + part);
  }
  return w;
}

BundleWriter::~BundleWriter() {
  if (!committed_ && !out_.empty() && a_) {
    a_.reset();
    ::unlink((out_ + ".part").c_str());
  }
}

Error BundleWriter::failed(const std::string& what) {
  const char* why = a_ ? archive_error_string(a_.get()) : nullptr;
  return Error::io(what + ": " + (why ? why : "libarchive error"));
}

Status BundleWriter::header(const std::string& member, uint64_t length) {
  std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
  if (!e) return Error::internal("libarchive: out of memory");
  archive_entry_set_pathname(e.get(), member.c_str());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(length));
  archive_entry_set_mtime(e.get(), 0, 0);
  if (archive_write_header(a_.get(), e.get()) != ARCHIVE_OK) return failed("write the header of " + member);
  return {};
}

Status BundleWriter::add_bytes(const std::string& member, std::string_view bytes) {
  EW_TRY(header(member, bytes.size()));
  if (!bytes.empty() && archive_write_data(a_.get(), bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())) {
    return failed("write " + member);
  }
  return {};
}

Status BundleWriter::add_file(const std::string& member, const std::string& path, uint64_t length,
                              const ProgressFn& progress) {
  UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!in.valid()) return errno_error("open " + path);
  EW_TRY(header(member, length));
  std::vector<char> buf(1 << 20);
  uint64_t done = 0;
  while (done < length) {
    const ssize_t n = ::read(in.get(), buf.data(), static_cast<size_t>(std::min<uint64_t>(buf.size(), length - done)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("read " + path);
    if (n == 0) return Error::io(path + " is shorter than its " + std::to_string(length) + " bytes");
    if (archive_write_data(a_.get(), buf.data(), static_cast<size_t>(n)) != n) return failed("write " + member);
    done += static_cast<uint64_t>(n);
    if (progress) progress(done, length);
  }
  return {};
}

Status BundleWriter::commit() {
  if (archive_write_close(a_.get()) != ARCHIVE_OK) return failed("finish " + out_ + ".part");
  if (::fsync(fd_.get()) != 0) return errno_error("fsync " + out_ + ".part");
  fd_.reset();
  if (::rename((out_ + ".part").c_str(), out_.c_str()) != 0) return errno_error("rename " + out_ + ".part onto " + out_);
  committed_ = true;
  return system_file_ops().fsync_dir(parent_dir(out_));
}

}  // namespace edgeward::ota::bundle
