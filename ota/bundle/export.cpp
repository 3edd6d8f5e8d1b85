// Offline bundle export (see export.h).
#include "ota/bundle/export.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>

#include "attest/fileio.h"
#include "common/dir_tree.h"
#include "common/errno_error.h"
#include "ota/bundle/bundle_writer.h"
#include "ota/client/delta_download.h"
#include "ota/client/fetch.h"
#include "ota/client/release.h"
#include "ota/client/target_download.h"
#include "ota/client/trusted_store.h"
#include "ota/transport/bundle_source.h"

namespace edgeward::ota::bundle {
namespace {

namespace oc = ota::client;

// A target of the verified metadata and whether its file goes into the bundle.
struct Member {
  std::string name;
  const tuf::TargetFile* file;
  bool shipped = true;  // false: an image left out by --chunks-only (its chunk index and blob are in)
};

// TARGET (a release: and its members), each followed by its chunk index and blob when it has them.
Result<std::vector<Member>> members_of(const oc::Refreshed& r, const std::string& target, bool chunks_only) {
  const auto& all = r.targets.targets;
  const auto it = all.find(target);
  if (it == all.end()) {
    return Error::not_found("target " + target + " is not in the repository's targets v" +
                            std::to_string(r.targets.common.version) + " (see `edgeward ota check`)");
  }
  std::vector<std::string> names{it->first};
  const oc::TargetInfo info = oc::describe_target(it->first, it->second);
  if (info.kind == "release") {
    EW_ASSIGN(std::vector<oc::TargetInfo> pinned, oc::pinned_members(info, it->second, all));
    for (const oc::TargetInfo& m : pinned) names.push_back(m.name);
  }
  std::vector<Member> out;
  for (const std::string& name : names) {
    const tuf::TargetFile& file = all.at(name);
    const auto chunks = oc::chunk_targets(file);
    const bool has_chunks = chunks && all.count(chunks->first) && all.count(chunks->second);
    out.push_back({name, &file, !(chunks_only && has_chunks)});
    if (!has_chunks) continue;
    out.push_back({chunks->first, &all.at(chunks->first)});
    out.push_back({chunks->second, &all.at(chunks->second)});
  }
  return out;
}

// A refresh over the bundle from a private copy of the trusted root, then every target in it
// downloaded from the bundle into a scratch directory (length and SHA-256 checked by the same
// code as on a device) and removed: what a device will do with it.
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
    if (!m.shipped) continue;
    auto path = oc::download_target(local, dir + "/targets", m.name, *m.file, consistent, {});
    if (!path) return std::move(path).error();
    ::unlink(path->c_str());
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
  EW_ASSIGN(std::vector<Member> members, members_of(r, req.target, req.chunks_only));
  const bool consistent = r.root.consistent_snapshot;

  // Every target first (verified downloads), so a failed download leaves no half bundle.
  std::vector<std::string> files(members.size());
  struct Cleanup {
    std::vector<std::string>& files;
    ~Cleanup() {
      for (const auto& f : files) {
        if (!f.empty()) ::unlink(f.c_str());
      }
    }
  } cleanup{files};
  for (size_t i = 0; i < members.size(); ++i) {
    const Member& m = members[i];
    if (!m.shipped) continue;
    EW_ASSIGN(files[i], oc::download_target(repo, req.downloads_dir, m.name, *m.file, consistent, progress));
  }

  EW_ASSIGN(BundleWriter w, BundleWriter::create(req.out));
  ExportResult out;
  auto add = [&](const std::string& member, std::string_view bytes) -> Status {
    EW_TRY(w.add_bytes(member, bytes));
    out.members.push_back(member);
    return {};
  };
  for (uint64_t v = 1; v <= r.root.common.version; ++v) {
    const std::string file = oc::root_file(v);
    auto bytes = oc::fetch_capped(repo.url + "/metadata/" + file, repo.limits.root_bytes, repo.transport);
    if (!bytes && bytes.error().code == ErrorCode::kNotFound) continue;  // pruned: devices past it need it not
    if (!bytes) return std::move(bytes).error().context("root " + file);
    EW_TRY(add("metadata/" + file, *bytes));
  }
  for (const oc::Refreshed::File& f : r.files) EW_TRY(add("metadata/" + f.name, f.bytes));
  for (size_t i = 0; i < members.size(); ++i) {
    const Member& m = members[i];
    if (!m.shipped) {
      out.left_out.push_back(m.name);
      continue;
    }
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
