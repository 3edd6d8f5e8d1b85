// Writes an offline update bundle: a plain POSIX tar (pax) whose members carry a repository's
// file names (metadata/..., targets/...), written to OUT.part and renamed onto OUT only once
// complete and fsynced, so a bundle that exists is whole. Deterministic headers (mode 0644, owner
// 0:0, time 0): the same export gives the same bytes.
#pragma once

#include <archive.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"
#include "ota/transport/progress.h"

namespace edgeward::ota::bundle {

class BundleWriter {
 public:
  static Result<BundleWriter> create(const std::string& out);
  BundleWriter(BundleWriter&&) = default;
  BundleWriter& operator=(BundleWriter&&) = default;
  ~BundleWriter();  // an uncommitted bundle's .part is removed

  Status add_bytes(const std::string& member, std::string_view bytes);
  // Copies the file at `path`, which must hold exactly `length` bytes.
  Status add_file(const std::string& member, const std::string& path, uint64_t length, const ProgressFn& progress = {});
  // Finishes the archive, fsyncs, renames OUT.part onto OUT and fsyncs the directory.
  Status commit();

 private:
  struct Free {
    void operator()(archive* a) const { archive_write_free(a); }
  };
  BundleWriter(std::string out, UniqueFd fd, archive* a) : out_(std::move(out)), fd_(std::move(fd)), a_(a) {}
  Status header(const std::string& member, uint64_t length);
  Error failed(const std::string& what);

  std::string out_;
  UniqueFd fd_;
  std::unique_ptr<archive, Free> a_;
  bool committed_ = false;
};

}  // namespace edgeward::ota::bundle
