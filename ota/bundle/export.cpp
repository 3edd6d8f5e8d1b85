// Offline bundle export (see export.h).
#include "ota/bundle/export.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <climits>

#include "attest/crypto/sha256.h"
#include "attest/fileio.h"
#include "common/dir_tree.h"
#include "common/errno_error.h"
#include "ota/bundle/bundle_writer.h"
#include "ota/client/fetch.h"
#include "ota/client/release.h"
#include "ota/client/target_download.h"
#include "ota/client/trusted_store.h"
#include "ota/transport/bundle_source.h"

namespace edgeward::ota::bundle {
namespace {

namespace oc = ota::client;

// A target of the verified metadata and where it goes in the bundle.
struct Member {
  std::string name;
  const tuf::TargetFile* file;
};

Result<std::vector<Member>> members_of(const oc::Refreshed& r, const std::string& target) {
  const auto it = r.targets.targets.find(target);
  if (it == r.targets.targets.end()) {
    return Error::not_found("target " + target + " is not in the repository's targets v" +
                            std::to_string(r.targets.common.version) + " (see `edgeward ota check`)");
  }
  std::vector<Member> out{{it->first, &it->second}};
  const oc::TargetInfo info = oc::describe_target(it->first, it->second);
  if (info.kind != "release") return out;
  EW_ASSIGN(std::vector<oc::TargetInfo> pinned, oc::pinned_members(info, it->second, r.targets.targets));
  for (const oc::TargetInfo& m : pinned) out.push_back({m.name, &r.targets.targets.at(m.name)});
  return out;
}

// SHA-256 of one bundle member read back through the same source the device uses.
Status check_member(const std::string& url, const tuf::TargetFile& file) {
  EW_ASSIGN(BundleMember m, parse_bundle_url(url));
  BundleSource src(std::move(m));
  EW_TRY(src.open(0, file.length));
  attest::Sha256 h;
  std::array<uint8_t, 64 * 1024> buf{};
  uint64_t total = 0;
  for (;;) {
    EW_ASSIGN(size_t n, src.read(buf));
    if (n == 0) break;
    h.update(std::span<const uint8_t>(buf.data(), n));
    total += n;
  }
  if (total != file.length || attest::to_hex(h.finish()) != file.hashes.at("sha256")) {
    return Error::invalid(src.describe() + " does not match its length and SHA-256 in the targets metadata");
  }
  return {};
}

// A refresh over the bundle from a private copy of the trusted root, then every target read
// back and hashed: what a device will do with it.
Status check_bundle(FileOps& ops, const client::Repository& repo, const ExportRequest& req, int64_t now,
                    const std::vector<Member>& members, bool consistent) {
  std::string dir = parent_dir(req.tuf_dir) + "/export-check.XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) return errno_error("create a directory for checking the bundle");
  struct Remove {
    const std::string& dir;
    ~Remove() {
      remove_tree(dir);
    }
  } remove{dir};
  EW_ASSIGN(std::string root, attest::read_text_file(req.tuf_dir + "/" + oc::role_file(tuf::Role::kRoot),
                                                     tuf::kMaxMetadataBytes));
  EW_TRY(oc::save_role(ops, dir, tuf::Role::kRoot, root));
  client::Repository local = repo;
  EW_ASSIGN(local.url, bundle_repository_url(req.out));
  EW_ASSIGN(oc::Refreshed r, oc::refresh(ops, dir, local, now));
  (void)r;
  for (const Member& m : members) {
    EW_TRY(check_member(local.url + "/targets/" + oc::target_file_name(m.name, m.file->hashes.at("sha256"), consistent),
                        *m.file));
  }
  return {};
}

}  // namespace

Result<std::string> bundle_repository_url(const std::string& bundle_path) {
  char buf[PATH_MAX];
  if (::realpath(bundle_path.c_str(), buf) == nullptr) return errno_error("bundle " + bundle_path);
  return std::string(kBundleScheme) + buf + "!";
}

Result<ExportResult> export_bundle(FileOps& ops, const client::Repository& repo, const ExportRequest& req,
                                   int64_t system_now, const ProgressFn& progress) {
  EW_ASSIGN(oc::Refreshed r, oc::refresh(ops, req.tuf_dir, repo, system_now));
  EW_ASSIGN(std::vector<Member> members, members_of(r, req.target));
  const bool consistent = r.root.consistent_snapshot;

  // Every target first (verified downloads), so a failed download leaves no half bundle.
  std::vector<std::string> files;
  struct Cleanup {
    std::vector<std::string>& files;
    ~Cleanup() {
      for (const auto& f : files) ::unlink(f.c_str());
    }
  } cleanup{files};
  for (const Member& m : members) {
    EW_ASSIGN(std::string path, oc::download_target(repo, req.downloads_dir, m.name, *m.file, consistent, progress));
    files.push_back(std::move(path));
  }

  EW_ASSIGN(BundleWriter w, BundleWriter::create(req.out));
  ExportResult out;
  auto add = [&](const std::string& member, std::string_view bytes) -> Status {
    EW_TRY(w.add_bytes(member, bytes));
    out.members.push_back(member);
    return {};
  };
  for (uint64_t v = 1; v <= r.root.common.version; ++v) {
    const std::string file = std::to_string(v) + ".root.json";
    auto bytes = oc::fetch_capped(repo.url + "/metadata/" + file, repo.limits.root_bytes, repo.transport);
    if (!bytes && bytes.error().code == ErrorCode::kNotFound) continue;  // pruned: devices past it need it not
    if (!bytes) return std::move(bytes).error().context("root " + file);
    EW_TRY(add("metadata/" + file, *bytes));
  }
  const struct {
    tuf::Role role;
    std::string name;
  } roles[] = {{tuf::Role::kTimestamp, "timestamp.json"},
               {tuf::Role::kSnapshot, oc::metadata_file(r.root, r.timestamp.snapshot.version, "snapshot")},
               {tuf::Role::kTargets, oc::metadata_file(r.root, r.snapshot.meta.at("targets.json").version, "targets")}};
  for (const auto& role : roles) {
    EW_ASSIGN(std::string bytes, attest::read_text_file(req.tuf_dir + "/" + oc::role_file(role.role), tuf::kMaxMetadataBytes));
    EW_TRY(add("metadata/" + role.name, bytes));
  }
  for (size_t i = 0; i < members.size(); ++i) {
    const Member& m = members[i];
    const std::string member = "targets/" + oc::target_file_name(m.name, m.file->hashes.at("sha256"), consistent);
    EW_TRY(w.add_file(member, files[i], m.file->length));
    out.members.push_back(member);
  }
  EW_TRY(w.commit());
  if (auto ok = check_bundle(ops, repo, req, system_now, members, consistent); !ok) {
    ::unlink(req.out.c_str());
    return Error::invalid("the exported bundle did not verify, so it was deleted (did the repository change during the "
                          "export? run it again): " + ok.error().message);
  }
  struct stat st {};
  if (::stat(req.out.c_str(), &st) == 0) out.bytes = static_cast<uint64_t>(st.st_size);
  out.root_version = r.root.common.version;
  out.targets_version = r.targets.common.version;
  return out;
}

}  // namespace edgeward::ota::bundle
