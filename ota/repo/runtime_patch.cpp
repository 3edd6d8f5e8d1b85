// The patch from the previous runtime build to the new one (see runtime_patch.h).
#include "ota/repo/runtime_patch.h"

#include "attest/fileio.h"
#include "ota/delta/patch_writer.h"
#include "ota/delta/runtime_patch.h"

namespace edgeward::ota::repo {
namespace {

bool is_runtime(const tuf::TargetFile& f) {
  auto k = f.custom.find("kind");
  return k != f.custom.end() && k->is_string() && k->get<std::string>() == "runtime";
}

}  // namespace

Status stage_runtime_patch(const Layout& l, const std::string& name, const std::string& runtime_path, bool enabled,
                           TargetMap& staged, tuf::TargetFile& runtime) {
  const std::string patch_name = name + delta::kPatchSuffix;
  runtime.custom.erase("patch");
  auto prev = staged.find(name);
  const bool same_bytes = prev != staged.end() && prev->second.hashes.at("sha256") == runtime.hashes.at("sha256");
  if (enabled && same_bytes && prev->second.custom.contains("patch")) {
    runtime.custom["patch"] = prev->second.custom["patch"];  // re-added unchanged: its patch still holds
    return {};
  }
  staged.erase(patch_name);
  if (!enabled || prev == staged.end() || same_bytes || !is_runtime(prev->second)) return {};
  EW_TRY(tuf::check_target_name(patch_name));
  const tuf::TargetFile& base = prev->second;
  const std::string base_path = target_path(l, name, base.hashes.at("sha256"));
  const std::string hint = " (--no-patch publishes the runtime without a patch)";
  auto old_bytes = attest::read_file(base_path, delta::kMaxPatchedBytes);
  if (!old_bytes) return std::move(old_bytes).error().context("the previous " + name + hint);
  auto new_bytes = attest::read_file(runtime_path, delta::kMaxPatchedBytes);
  if (!new_bytes) return std::move(new_bytes).error().context(name + hint);
  if (old_bytes->size() != base.length || attest::to_hex(attest::sha256(*old_bytes)) != base.hashes.at("sha256")) {
    return Error::invalid(base_path + " is not the staged previous " + name + hint);
  }
  EW_ASSIGN(std::vector<uint8_t> patch, delta::make_runtime_patch(*old_bytes, *new_bytes));
  if (patch.size() >= runtime.length) return {};  // nothing in common: devices download the binary
  std::string patch_path;
  EW_ASSIGN(tuf::TargetFile file, store_target(l, patch_name, "", std::string(patch.begin(), patch.end()), patch_path));
  file.custom = {{"kind", "runtime-patch"}, {"runtime", name}, {"base_sha256", base.hashes.at("sha256")}};
  staged[patch_name] = file;
  runtime.custom["patch"] = {{"name", patch_name}, {"base_length", base.length}, {"base_sha256", base.hashes.at("sha256")}};
  return {};
}

}  // namespace edgeward::ota::repo
