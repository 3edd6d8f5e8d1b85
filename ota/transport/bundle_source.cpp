// Offline bundle member source (see bundle_source.h).
#include "ota/transport/bundle_source.h"

#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/errno_error.h"

namespace edgeward::ota {
namespace {

constexpr size_t kBlock = 64 * 1024;

Error bad_tar(const BundleMember& m, archive* a) {
  const char* why = archive_error_string(a);
  return Error::invalid("bundle " + m.tar_path + " is not a readable tar archive (" + (why ? why : "unknown error") +
                        "); export it again with `edgeward ota export`");
}

}  // namespace

Result<BundleMember> parse_bundle_url(std::string_view url) {
  if (!url.starts_with(kBundleScheme)) return Error::invalid("not a bundle URL: " + std::string(url));
  const std::string_view rest = url.substr(kBundleScheme.size());
  const size_t bang = rest.rfind("!/");
  if (bang == std::string_view::npos || bang == 0 || rest[0] != '/') {
    return Error::invalid("bundle URL " + std::string(url) + " is not bundle:/ABSOLUTE/PATH.tar!/MEMBER");
  }
  BundleMember m{std::string(rest.substr(0, bang)), std::string(rest.substr(bang + 2))};
  if (m.member.empty()) return Error::invalid("bundle URL " + std::string(url) + " names no member");
  return m;
}

std::string BundleSource::describe() const { return m_.tar_path + " (bundle member " + m_.member + ")"; }

// Finds the member with libarchive (tar only, no decompression filter: the data of a plain tar
// member is stored contiguously) reading the same open file the bytes are then read from, and
// remembers where its data starts.
Status BundleSource::locate() {
  UniqueFd fd(::open(m_.tar_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid() && errno == ENOENT) return Error::not_found("bundle " + m_.tar_path + " does not exist");
  if (!fd.valid()) return errno_error("open bundle " + m_.tar_path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat bundle " + m_.tar_path);
  std::unique_ptr<archive, Free> a(archive_read_new());
  if (!a) return Error::internal("libarchive: out of memory");
  archive_read_support_format_tar(a.get());
  if (archive_read_open_fd(a.get(), fd.get(), kBlock) != ARCHIVE_OK) return bad_tar(m_, a.get());
  for (;;) {
    archive_entry* e = nullptr;
    const int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) return Error::not_found(m_.member + " is not in bundle " + m_.tar_path);
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) return bad_tar(m_, a.get());
    const char* name = archive_entry_pathname(e);
    if (name == nullptr || m_.member != name) continue;  // libarchive skips the data on the next header
    if (archive_entry_filetype(e) != AE_IFREG || !archive_entry_size_is_set(e) || archive_entry_size(e) < 0 ||
        archive_entry_hardlink(e) != nullptr || archive_entry_sparse_count(e) != 0) {
      return Error::invalid(describe() + " is not a regular file");
    }
    // What the tar reader consumed so far: the member's headers end where its data begins.
    const la_int64_t at = archive_filter_bytes(a.get(), 0);
    if (at < 0) return bad_tar(m_, a.get());
    const auto size = static_cast<uint64_t>(archive_entry_size(e));
    const auto file_size = static_cast<uint64_t>(st.st_size);
    if (file_size < static_cast<uint64_t>(at) || file_size - static_cast<uint64_t>(at) < size) {
      return Error::io(describe() + " is cut short (the bundle ends inside it); export it again");
    }
    fd_ = std::move(fd);
    data_ = static_cast<uint64_t>(at);
    size_ = size;
    return {};
  }
}

Result<OpenedRange> BundleSource::open(uint64_t offset, uint64_t max_size) {
  if (!fd_.valid()) {
    EW_TRY(locate());
  }
  if (size_ > max_size) {
    return Error::invalid(describe() + " has " + std::to_string(size_) + " bytes, more than the " +
                          std::to_string(max_size) + " expected");
  }
  if (offset > size_) return OpenedRange{offset, size_, true};
  pos_ = offset;  // resuming, or a piece of a chunk blob: read in place
  return OpenedRange{offset, size_, false};
}

Result<size_t> BundleSource::read(std::span<uint8_t> out) {
  if (!fd_.valid()) return Error::internal("BundleSource::read before open");
  const size_t want = static_cast<size_t>(std::min<uint64_t>(out.size(), size_ - pos_));
  if (want == 0) return size_t{0};
  for (;;) {
    const ssize_t n = ::pread(fd_.get(), out.data(), want, static_cast<off_t>(data_ + pos_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("read bundle " + m_.tar_path);
    if (n == 0) return Error::io(describe() + " is cut short (" + std::to_string(size_ - pos_) + " bytes missing)");
    pos_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
}

}  // namespace edgeward::ota
