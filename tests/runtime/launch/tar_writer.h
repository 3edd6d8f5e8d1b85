// Test helper: writes tar archives entry by entry with libarchive's writer, including the hostile
// entries (absolute paths, "..", device nodes, setuid bits) a real attacker would craft.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <vector>

namespace edgeward::launch::testing {

struct TarEntry {
  std::string path;
  unsigned type = AE_IFREG;  // AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, AE_IFIFO
  unsigned mode = 0644;
  std::string content;       // file content, or symlink target
  std::string hardlink;      // non-empty: a hard link to this path
};

inline std::vector<uint8_t> make_tar(const std::vector<TarEntry>& entries) {
  std::vector<uint8_t> out(16 << 20);
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const auto& e : entries) {
    archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.path.c_str());
    if (!e.hardlink.empty()) {
      archive_entry_set_hardlink(ae, e.hardlink.c_str());
    } else {
      archive_entry_set_filetype(ae, e.type);
      archive_entry_set_perm(ae, e.mode);
      if (e.type == AE_IFLNK) archive_entry_set_symlink(ae, e.content.c_str());
      if (e.type == AE_IFREG) archive_entry_set_size(ae, static_cast<la_int64_t>(e.content.size()));
      if (e.type == AE_IFCHR) archive_entry_set_rdev(ae, 0x0103);
    }
    archive_write_header(a, ae);
    if (e.type == AE_IFREG && e.hardlink.empty()) archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

}  // namespace edgeward::launch::testing
