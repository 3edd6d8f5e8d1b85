// Trusted metadata on the device (see trusted_store.h).
#include "ota/client/trusted_store.h"

#include <sys/stat.h>

#include <cerrno>

#include "attest/fileio.h"
#include "common/errno_error.h"
#include "ota/tuf/verify.h"

namespace edgeward::ota::client {
namespace {

using tuf::Role;

std::string path_of(const std::string& tuf_dir, Role role) { return tuf_dir + "/" + role_file(role); }

// nullopt when the file is missing or no longer verifies against `root`.
template <typename T, typename Parse>
std::optional<T> load_role(const std::string& tuf_dir, const tuf::Root& root, Role role, Parse parse) {
  auto text = attest::read_text_file(path_of(tuf_dir, role), tuf::kMaxMetadataBytes);
  if (!text) return std::nullopt;
  auto env = tuf::parse_envelope(*text, role, path_of(tuf_dir, role));
  if (!env || !tuf::verify_role(*env, root, role)) return std::nullopt;
  auto parsed = parse(*env);
  if (!parsed) return std::nullopt;
  return std::move(parsed).value();
}

Status ensure_dir(const std::string& dir) {
  const std::string parent = parent_dir(dir);
  if (!parent.empty() && parent != dir) {
    struct stat st {};
    if (::stat(parent.c_str(), &st) != 0) EW_TRY(ensure_dir(parent));
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return errno_error("mkdir " + dir);
  return {};
}

}  // namespace

std::string role_file(Role role) { return std::string(tuf::role_name(role)) + ".json"; }

Result<Trusted> load_trusted(const std::string& tuf_dir) {
  const std::string root_path = path_of(tuf_dir, Role::kRoot);
  auto text = attest::read_text_file(root_path, tuf::kMaxMetadataBytes);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound) {
      return Error::not_found("no trusted root in " + tuf_dir + " (run `edgeward ota trust ROOT.json` first)");
    }
    return std::move(text).error();
  }
  EW_ASSIGN(tuf::Envelope env, tuf::parse_envelope(*text, Role::kRoot, root_path));
  Trusted t;
  EW_ASSIGN(t.root, tuf::parse_root(env));
  t.timestamp = load_role<tuf::Timestamp>(tuf_dir, t.root, Role::kTimestamp, tuf::parse_timestamp);
  t.snapshot = load_role<tuf::Snapshot>(tuf_dir, t.root, Role::kSnapshot, tuf::parse_snapshot);
  t.targets = load_role<tuf::Targets>(tuf_dir, t.root, Role::kTargets, tuf::parse_targets);
  return t;
}

Status save_role(FileOps& ops, const std::string& tuf_dir, Role role, std::string_view bytes) {
  return durable_replace(ops, path_of(tuf_dir, role), bytes);
}

Status forget_role(FileOps& ops, const std::string& tuf_dir, Role role) {
  EW_TRY(ops.unlink(path_of(tuf_dir, role)));
  return ops.fsync_dir(tuf_dir);
}

Result<tuf::Root> install_root(FileOps& ops, const std::string& tuf_dir, std::string_view bytes, bool replace) {
  EW_ASSIGN(tuf::Envelope env, tuf::parse_envelope(bytes, Role::kRoot, "root.json"));
  EW_ASSIGN(tuf::Root root, tuf::parse_root(env));
  EW_TRY(tuf::verify_role(env, root, Role::kRoot));
  struct stat st {};
  if (::stat(path_of(tuf_dir, Role::kRoot).c_str(), &st) == 0 && !replace) {
    return Error::invalid(path_of(tuf_dir, Role::kRoot) +
                          " exists: this device already trusts a root (--replace to start over from this one)");
  }
  EW_TRY(ensure_dir(tuf_dir));
  for (Role r : {Role::kTimestamp, Role::kSnapshot, Role::kTargets}) EW_TRY(forget_role(ops, tuf_dir, r));
  EW_TRY(save_role(ops, tuf_dir, Role::kRoot, bytes));
  return root;
}

}  // namespace edgeward::ota::client
