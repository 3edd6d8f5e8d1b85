// Offline bundle member source (see bundle_source.h).
#include "ota/transport/bundle_source.h"

#include <archive_entry.h>

#include <array>
#include <cerrno>

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

Result<OpenedRange> BundleSource::open(uint64_t offset, uint64_t max_size) {
  a_.reset(archive_read_new());
  if (!a_) return Error::internal("libarchive: out of memory");
  archive_read_support_format_tar(a_.get());
  if (archive_read_open_filename(a_.get(), m_.tar_path.c_str(), kBlock) != ARCHIVE_OK) {
    const int err = archive_errno(a_.get());
    if (err == ENOENT) return Error::not_found("bundle " + m_.tar_path + " does not exist");
    return bad_tar(m_, a_.get());
  }
  for (;;) {
    archive_entry* e = nullptr;
    const int rc = archive_read_next_header(a_.get(), &e);
    if (rc == ARCHIVE_EOF) return Error::not_found(m_.member + " is not in bundle " + m_.tar_path);
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) return bad_tar(m_, a_.get());
    const char* name = archive_entry_pathname(e);
    if (name == nullptr || m_.member != name) continue;  // libarchive skips the data on the next header
    if (archive_entry_filetype(e) != AE_IFREG || !archive_entry_size_is_set(e) || archive_entry_size(e) < 0) {
      return Error::invalid(describe() + " is not a regular file");
    }
    const auto size = static_cast<uint64_t>(archive_entry_size(e));
    if (size > max_size) {
      return Error::invalid(describe() + " has " + std::to_string(size) + " bytes, more than the " +
                            std::to_string(max_size) + " expected");
    }
    if (offset > size) return OpenedRange{offset, size, true};
    left_ = size;
    // Resuming a partial download: a tar member is read from its start, the first bytes dropped.
    std::array<uint8_t, kBlock> skip{};
    for (uint64_t to_skip = offset; to_skip > 0;) {
      EW_ASSIGN(size_t n, read(std::span(skip.data(), static_cast<size_t>(std::min<uint64_t>(to_skip, skip.size())))));
      if (n == 0) return Error::io(describe() + " ended before byte " + std::to_string(offset));
      to_skip -= n;
    }
    return OpenedRange{offset, size, false};
  }
}

Result<size_t> BundleSource::read(std::span<uint8_t> out) {
  if (!a_) return Error::internal("BundleSource::read before open");
  if (left_ == 0) return size_t{0};
  const size_t want = static_cast<size_t>(std::min<uint64_t>(out.size(), left_));
  const la_ssize_t n = archive_read_data(a_.get(), out.data(), want);
  if (n < 0) return bad_tar(m_, a_.get());
  if (n == 0) return Error::io(describe() + " is cut short (" + std::to_string(left_) + " bytes missing)");
  left_ -= static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

}  // namespace edgeward::ota
