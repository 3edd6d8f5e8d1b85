// Chunk index and blob of a workload image, and their garbage collection (see chunks.h).
#include "ota/repo/chunks.h"

#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "attest/fileio.h"
#include "common/dir_tree.h"
#include "ota/delta/chunk_writer.h"
#include "ota/delta/runtime_patch.h"

namespace edgeward::ota::repo {
namespace {

// Runtime patches (runtime_patch.h) are collected by the same rule.
bool is_chunk_file(const std::string& n) {
  return n.ends_with(kIndexSuffix) || n.ends_with(kBlobSuffix) || n.ends_with(delta::kPatchSuffix);
}

void note_chunk_files(const Layout& l, const TargetMap& targets, std::set<std::string>& keep) {
  for (const auto& [name, file] : targets) {
    if (is_chunk_file(name)) keep.insert(target_path(l, name, file.hashes.at("sha256")));
  }
}

void walk(const std::string& dir, std::vector<std::string>& out, int depth) {
  if (depth > 32) return;
  auto names = list_names(dir);
  if (!names) return;
  for (const std::string& n : *names) {
    const std::string p = dir + "/" + n;
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) walk(p, out, depth + 1);
    else if (S_ISREG(st.st_mode) && is_chunk_file(n)) out.push_back(p);
  }
}

}  // namespace

Status stage_chunks(const Layout& l, const std::string& name, const std::string& image_path, bool enabled,
                    TargetMap& staged, tuf::TargetFile& image) {
  const std::string index_name = name + kIndexSuffix, blob_name = name + kBlobSuffix;
  staged.erase(index_name);
  staged.erase(blob_name);
  image.custom.erase("chunks");
  if (!enabled) return {};
  EW_TRY(tuf::check_target_name(blob_name));
  const std::string tmp = l.targets() + "/.blob.tmp";
  auto ix = delta::write_chunk_blob(image_path, tmp);
  std::string blob_path, index_path;
  auto blob = ix ? store_target(l, blob_name, tmp, "", blob_path) : Result<tuf::TargetFile>(ix.error());
  ::unlink(tmp.c_str());
  if (!blob) return std::move(blob).error().context("chunking " + name + " (--no-chunks publishes it without)");
  const std::vector<uint8_t> bytes = delta::serialize_chunk_index(*ix);
  EW_ASSIGN(tuf::TargetFile index, store_target(l, index_name, "", std::string(bytes.begin(), bytes.end()), index_path));
  blob->custom = {{"kind", "chunk-blob"}, {"image", name}};
  index.custom = {{"kind", "chunk-index"}, {"image", name}, {"chunks", ix->chunks.size()}};
  staged[blob_name] = *blob;
  staged[index_name] = index;
  image.custom["chunks"] = {{"index", index_name}, {"blob", blob_name}};
  return {};
}

Result<std::vector<std::string>> gc_chunk_files(const Layout& l, int64_t now) {
  std::set<std::string> keep;
  EW_ASSIGN(TargetMap staged, read_staged(l));
  note_chunk_files(l, staged, keep);
  auto names = list_names(l.metadata());
  if (!names) return Error::io(l.metadata() + ": cannot list");
  for (const std::string& n : *names) {
    if (!n.ends_with(".targets.json") || n.find_first_not_of("0123456789") != n.find('.')) continue;
    // A file that does not parse keeps everything: nothing is removed on a guess.
    EW_ASSIGN(std::string text, read_metadata(l, n));
    EW_ASSIGN(tuf::Envelope e, tuf::parse_envelope(text, tuf::Role::kTargets, l.metadata() + "/" + n));
    EW_ASSIGN(tuf::Targets t, tuf::parse_targets(e));
    if (t.common.expires > now) note_chunk_files(l, t.targets, keep);
  }
  std::vector<std::string> files, removed;
  walk(l.targets(), files, 0);
  for (const std::string& f : files) {
    if (keep.count(f)) continue;
    if (::unlink(f.c_str()) != 0) return Error::io(f + ": cannot remove");
    removed.push_back(f);
  }
  return removed;
}

}  // namespace edgeward::ota::repo
