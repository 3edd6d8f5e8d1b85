// Delta or full target download (see delta_download.h).
#include "ota/client/delta_download.h"

#include <nlohmann/json.hpp>

#include "attest/fileio.h"
#include "common/dir_tree.h"
#include "ota/client/target_download.h"
#include "ota/delta/chunk_index.h"
#include "ota/file_ops.h"
#include "ota/transport/open_source.h"

namespace edgeward::ota::client {
namespace {

// The paths of the entries of `dir`; none when it cannot be listed (no such directory yet).
std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  if (auto names = list_names(dir)) {
    for (const std::string& n : *names) out.push_back(dir + "/" + n);
  }
  return out;
}

Result<std::string> assemble_from_chunks(const Repository& repo, const std::string& downloads_dir, const std::string& name,
                                         const std::map<std::string, tuf::TargetFile>& targets, bool consistent,
                                         const std::vector<std::string>& local_files, const ProgressFn& progress,
                                         const std::string& index_name, const std::string& blob_name,
                                         delta::AssembleReport& report, FileOps& ops) {
  const tuf::TargetFile& image = targets.at(name);
  auto ii = targets.find(index_name), bi = targets.find(blob_name);
  if (ii == targets.end() || bi == targets.end()) {
    return Error::not_found("its chunk index or blob is not in the same targets metadata");
  }
  if (ii->second.length > delta::kMaxIndexBytes) return Error::invalid(index_name + " is larger than a chunk index may be");
  EW_ASSIGN(const std::vector<uint8_t> bytes,
            download_target_bytes(repo, downloads_dir, index_name, ii->second, consistent, {}));
  EW_ASSIGN(const delta::ChunkIndex ix, delta::parse_chunk_index(bytes, index_name));
  const std::string& hex = image.hashes.at("sha256");
  if (ix.image_length != image.length || attest::to_hex(ix.image_sha256) != hex) {
    return Error::invalid(index_name + " describes another image than the signed " + name);
  }
  if (ix.blob_length != bi->second.length) {
    return Error::invalid(index_name + " says the blob has " + std::to_string(ix.blob_length) +
                          " bytes, the signed metadata " + std::to_string(bi->second.length));
  }
  EW_ASSIGN(auto blob, open_source(repo.url + "/targets/" +
                                       target_file_name(blob_name, bi->second.hashes.at("sha256"), consistent),
                                   repo.transport));
  const std::string dest = download_path(downloads_dir, name, hex);
  EW_ASSIGN(report, delta::assemble_image(ix, *blob, dest, local_files, progress, ops));
  return dest;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> chunk_targets(const tuf::TargetFile& file) {
  auto c = file.custom.find("chunks");
  if (c == file.custom.end() || !c->is_object()) return std::nullopt;
  auto i = c->find("index"), b = c->find("blob");
  if (i == c->end() || b == c->end() || !i->is_string() || !b->is_string()) return std::nullopt;
  return std::make_pair(i->get<std::string>(), b->get<std::string>());
}

std::vector<std::string> local_chunk_files(const std::string& state_dir,
                                           const std::map<std::string, std::string>& slot_dirs) {
  std::vector<std::string> out;
  for (const auto& [slot, dir] : slot_dirs) out.push_back(dir + "/edgeward");
  for (const std::string& w : list_dir(state_dir + "/workloads")) {
    for (const std::string& f : list_dir(w)) {
      if (f.ends_with(".ewi")) out.push_back(f);
    }
  }
  for (const std::string& f : list_dir(state_dir + "/downloads")) out.push_back(f);
  return out;
}

Result<std::string> download_target_delta(const Repository& repo, const std::string& downloads_dir,
                                          const std::string& name, const std::map<std::string, tuf::TargetFile>& targets,
                                          bool consistent, const std::vector<std::string>& local_files,
                                          const ProgressFn& progress, DeltaOutcome& outcome, FileOps& ops) {
  const tuf::TargetFile& file = targets.at(name);
  outcome = {};
  if (auto done = complete_download(downloads_dir, name, file)) return *done;  // nothing to fetch
  if (offers_patch(file)) {
    outcome.patch.offered = true;
    auto dest =
        download_with_patch(repo, downloads_dir, name, targets, consistent, local_files, progress, outcome.patch, ops);
    if (dest) {
      outcome.patch.used = true;
      return dest;
    }
    outcome.patch.fallback_reason = dest.error().message;
  }
  if (auto chunks = chunk_targets(file)) {
    outcome.offered = true;
    auto dest = assemble_from_chunks(repo, downloads_dir, name, targets, consistent, local_files, progress,
                                     chunks->first, chunks->second, outcome.report, ops);
    if (dest) {
      outcome.used = true;
      return dest;
    }
    outcome.fallback_reason = dest.error().message;
  }
  return download_target(repo, downloads_dir, name, file, consistent, progress);
}

Status record_delta_outcome(const std::string& state_dir, const std::string& target, const DeltaOutcome& o,
                            uint64_t target_length, FileOps& ops) {
  const delta::AssembleReport& r = o.report;
  const bool patched = o.patch.used;
  nlohmann::ordered_json j{{"target", target},
                           {"image_bytes", target_length},
                           {"delta", o.used || patched},
                           {"method", patched ? "patch" : o.used ? "chunks" : "full"},
                           {"reused_bytes", o.used ? r.reused_bytes + r.resumed_bytes : 0},
                           {"downloaded_bytes", patched ? o.patch.patch_bytes : o.used ? r.downloaded_bytes : target_length},
                           {"requests", patched ? 1 : r.requests}};
  j["downloaded_share"] = target_length ? static_cast<double>(j["downloaded_bytes"].get<uint64_t>()) / target_length : 0.0;
  if (patched) j["patch_base"] = o.patch.base;
  if (!o.patch.fallback_reason.empty()) j["fallback_reason"] = "runtime patch: " + o.patch.fallback_reason;
  if (!o.fallback_reason.empty()) j["fallback_reason"] = o.fallback_reason;
  return durable_replace(ops, state_dir + "/last-delta.json", j.dump() + "\n");
}

}  // namespace edgeward::ota::client
