// ByteSource for one member of an offline update bundle (`edgeward ota export`): a plain tar
// holding a repository's metadata/ and targets/ files under the same names, read in place with
// libarchive. The client sees a repository URL `bundle:/abs/path.tar!` and fetches
// `bundle:/abs/path.tar!/metadata/timestamp.json` exactly as it would over HTTP: every byte is
// verified by the TUF workflow, the bundle itself is not trusted. A member is matched by its exact
// name (never extracted, so names cannot escape anything); the first of two equal names wins on
// every open; a missing member is kNotFound (the root rotation loop's "no newer root"). The member
// is located once (libarchive reads the headers); its bytes are then read in place with pread at
// any offset, so resuming and the Range reads of a chunk blob cost no more than over HTTP.
#pragma once

#include <archive.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/unique_fd.h"
#include "ota/transport/byte_source.h"

namespace edgeward::ota {

inline constexpr std::string_view kBundleScheme = "bundle:";

// "bundle:/abs/x.tar!/metadata/1.root.json" -> tar path and member; errors say what is wrong.
struct BundleMember {
  std::string tar_path;
  std::string member;
};
Result<BundleMember> parse_bundle_url(std::string_view url);

class BundleSource : public ByteSource {
 public:
  explicit BundleSource(BundleMember m) : m_(std::move(m)) {}
  Result<OpenedRange> open(uint64_t offset, uint64_t max_size) override;
  Result<size_t> read(std::span<uint8_t> out) override;
  std::string describe() const override;

 private:
  struct Free {
    void operator()(archive* a) const { archive_read_free(a); }
  };
  Status locate();
  BundleMember m_;
  UniqueFd fd_;        // the bundle, once the member is located
  uint64_t data_ = 0;  // where the member's bytes start in it
  uint64_t size_ = 0;  // the member's length
  uint64_t pos_ = 0;   // next byte of the member to read
};

}  // namespace edgeward::ota
