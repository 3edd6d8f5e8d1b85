// Runtime download through a binary patch (see patch_download.h).
#include "ota/client/patch_download.h"

#include <sys/stat.h>

#include <optional>

#include "attest/fileio.h"
#include "ota/client/target_download.h"
#include "ota/delta/runtime_patch.h"

namespace edgeward::ota::client {
namespace {

struct PatchField {
  std::string name;
  delta::PatchTarget base;
};

Result<PatchField> parse_patch_field(const nlohmann::json& custom) {
  const nlohmann::json& p = custom.at("patch");
  if (!p.is_object()) return Error::invalid("its custom.patch is not an object");
  auto n = p.find("name"), l = p.find("base_length"), s = p.find("base_sha256");
  if (n == p.end() || !n->is_string() || l == p.end() || !l->is_number_unsigned() || s == p.end() || !s->is_string()) {
    return Error::invalid("its custom.patch lacks name, base_length or base_sha256");
  }
  auto digest = attest::digest_from_hex(s->get<std::string>());
  if (!digest) return Error::invalid("its custom.patch.base_sha256 is not 64 hex digits");
  return PatchField{n->get<std::string>(), {l->get<uint64_t>(), *digest}};
}

// The bytes of the first local file that is the patch's base (length, then SHA-256), if any.
std::optional<std::vector<uint8_t>> find_base(const std::vector<std::string>& local_files, const delta::PatchTarget& base,
                                              std::string& found) {
  for (const std::string& f : local_files) {
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) != base.length) continue;
    auto bytes = attest::read_file(f, delta::kMaxPatchedBytes);
    if (bytes && bytes->size() == base.length && attest::sha256(*bytes) == base.sha256) {
      found = f;
      return std::move(*bytes);
    }
  }
  return std::nullopt;
}

}  // namespace

bool offers_patch(const tuf::TargetFile& file) { return file.custom.contains("patch"); }

Result<std::string> download_with_patch(const Repository& repo, const std::string& downloads_dir, const std::string& name,
                                        const std::map<std::string, tuf::TargetFile>& targets, bool consistent,
                                        const std::vector<std::string>& local_files, const ProgressFn& progress,
                                        PatchOutcome& outcome, FileOps& ops) {
  const tuf::TargetFile& runtime = targets.at(name);
  EW_ASSIGN(const PatchField field, parse_patch_field(runtime.custom));
  auto pt = targets.find(field.name);
  if (pt == targets.end()) return Error::not_found(field.name + " is not in the same targets metadata");
  if (pt->second.length >= runtime.length) return Error::invalid(field.name + " is not smaller than the binary");
  if (runtime.length > delta::kMaxPatchedBytes || field.base.length > delta::kMaxPatchedBytes) {
    return Error::invalid("a patch is applied to binaries of at most " + std::to_string(delta::kMaxPatchedBytes >> 20) +
                          " MiB");
  }
  const std::string& hex = runtime.hashes.at("sha256");
  const auto digest = attest::digest_from_hex(hex);
  if (!digest) return Error::invalid(name + ": sha256 is not 64 hex digits");
  auto base = find_base(local_files, field.base, outcome.base);
  if (!base) {
    return Error::not_found("no binary on this device is its base (sha256 " + attest::to_hex(field.base.sha256).substr(0, 16) +
                            "…)");
  }
  EW_ASSIGN(const std::vector<uint8_t> patch,
            download_target_bytes(repo, downloads_dir, field.name, pt->second, consistent, progress));
  outcome.patch_bytes = patch.size();
  EW_ASSIGN(const std::vector<uint8_t> binary,
            delta::apply_runtime_patch(*base, field.base, patch, {runtime.length, *digest}, field.name));
  const std::string dest = download_path(downloads_dir, name, hex);
  EW_TRY(durable_replace(ops, dest, {reinterpret_cast<const char*>(binary.data()), binary.size()}));
  return dest;
}

}  // namespace edgeward::ota::client
