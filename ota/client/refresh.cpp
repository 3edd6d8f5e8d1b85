// The refresh loop (see refresh.h). The checks themselves are ota/tuf/verify.h's; this file
// decides the order, what is fetched with which cap, and when a role is persisted.
#include "ota/client/refresh.h"

#include <fcntl.h>
#include <sys/file.h>

#include "common/errno_error.h"
#include "common/unique_fd.h"
#include "ota/client/fetch.h"
#include "ota/client/trusted_time.h"
#include "ota/tuf/verify.h"

namespace edgeward::ota::client {
namespace {

using tuf::Role;

std::string metadata_url(const Repository& repo, const std::string& file) { return repo.url + "/metadata/" + file; }

// Fetched, parsed and signature-checked metadata of one role.
struct Verified {
  std::string bytes;
  tuf::Envelope envelope;
};

Result<Verified> fetch_verified(const Repository& repo, const tuf::Root& root, Role role, const std::string& file,
                                uint64_t cap) {
  auto bytes = fetch_capped(metadata_url(repo, file), cap, repo.transport);
  if (!bytes) return std::move(bytes).error().context(std::string(tuf::role_name(role)));
  EW_ASSIGN(tuf::Envelope env, tuf::parse_envelope(*bytes, role, file));
  EW_TRY(tuf::verify_role(env, root, role));
  return Verified{std::move(bytes).value(), std::move(env)};
}

// Section 5.3: follows root N+1... and forgets the roles whose keys a rotation changed.
Result<uint32_t> update_root(FileOps& ops, const std::string& tuf_dir, const Repository& repo, Trusted& t) {
  uint32_t rotations = 0;
  for (; rotations < repo.limits.max_root_rotations; ++rotations) {
    const std::string file = root_file(t.root.common.version + 1);
    auto bytes = fetch_capped(metadata_url(repo, file), repo.limits.root_bytes, repo.transport);
    if (!bytes && bytes.error().code == ErrorCode::kNotFound) break;
    if (!bytes) return std::move(bytes).error().context("root");
    EW_ASSIGN(tuf::Root next, tuf::verify_root_update(t.root, *bytes, file));
    for (Role r : {Role::kTimestamp, Role::kSnapshot, Role::kTargets}) {
      if (!tuf::must_forget_after_rotation(t.root, next, r)) continue;
      EW_TRY(forget_role(ops, tuf_dir, r));
      if (r == Role::kTimestamp) t.timestamp.reset();
      if (r == Role::kSnapshot) t.snapshot.reset();
      if (r == Role::kTargets) t.targets.reset();
    }
    EW_TRY(save_role(ops, tuf_dir, Role::kRoot, *bytes));
    t.root = std::move(next);
  }
  return rotations;
}

// One refresh at a time per device: a second `ota check` while one runs fails instead of
// interleaving its writes of the trusted metadata.
Result<UniqueFd> lock_refresh(const std::string& tuf_dir) {
  const std::string path = tuf_dir + "/lock";
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) return errno_error("open " + path);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    return Error::io(tuf_dir + ": another `edgeward ota` command is refreshing this device's metadata; try again");
  }
  return fd;
}

uint64_t cap_of(const tuf::MetaFile& m, uint64_t fallback) { return m.length ? *m.length : fallback; }

}  // namespace

std::string root_file(uint64_t version) { return std::to_string(version) + ".root.json"; }

std::string metadata_file(const tuf::Root& root, uint64_t version, const char* role) {
  return root.consistent_snapshot ? std::to_string(version) + "." + role + ".json" : std::string(role) + ".json";
}

Result<Refreshed> refresh(FileOps& ops, const std::string& tuf_dir, const Repository& repo, int64_t system_now) {
  auto lock = lock_refresh(tuf_dir);
  EW_ASSIGN(Trusted t, load_trusted(tuf_dir));  // under the lock: what the previous refresh left
  if (!lock) return std::move(lock).error();
  EW_ASSIGN(const int64_t now, trusted_now(tuf_dir, system_now));
  Refreshed out;
  EW_ASSIGN(out.root_rotations, update_root(ops, tuf_dir, repo, t));
  EW_TRY(tuf::check_expiry(t.root.common, now, "root"));

  // 5.4 timestamp
  EW_ASSIGN(Verified ts, fetch_verified(repo, t.root, Role::kTimestamp, "timestamp.json", repo.limits.timestamp_bytes));
  EW_ASSIGN(out.timestamp, tuf::parse_timestamp(ts.envelope));
  EW_TRY(tuf::check_timestamp_update(t.timestamp, out.timestamp));
  EW_TRY(tuf::check_expiry(out.timestamp.common, now, "timestamp"));
  EW_TRY(save_role(ops, tuf_dir, Role::kTimestamp, ts.bytes));
  out.files.push_back({"timestamp.json", ts.bytes});

  // 5.5 snapshot
  const tuf::MetaFile& sn_meta = out.timestamp.snapshot;
  const std::string sn_file = metadata_file(t.root, sn_meta.version, "snapshot");
  EW_ASSIGN(Verified sn, fetch_verified(repo, t.root, Role::kSnapshot, sn_file, cap_of(sn_meta, repo.limits.snapshot_bytes)));
  EW_ASSIGN(out.snapshot, tuf::parse_snapshot(sn.envelope));
  EW_TRY(tuf::check_snapshot_against_timestamp(out.timestamp, sn.bytes, out.snapshot));
  EW_TRY(tuf::check_snapshot_update(t.snapshot, out.snapshot));
  EW_TRY(tuf::check_expiry(out.snapshot.common, now, "snapshot"));
  EW_TRY(save_role(ops, tuf_dir, Role::kSnapshot, sn.bytes));
  out.files.push_back({sn_file, sn.bytes});

  // 5.6 targets
  const tuf::MetaFile& tg_meta = out.snapshot.meta.at("targets.json");
  const std::string tg_file = metadata_file(t.root, tg_meta.version, "targets");
  EW_ASSIGN(Verified tg, fetch_verified(repo, t.root, Role::kTargets, tg_file, cap_of(tg_meta, repo.limits.targets_bytes)));
  EW_ASSIGN(out.targets, tuf::parse_targets(tg.envelope));
  EW_TRY(tuf::check_targets_against_snapshot(out.snapshot, tg.bytes, out.targets));
  if (t.targets) EW_TRY(tuf::check_version(t.targets->common.version, out.targets.common.version, true, "targets"));
  EW_TRY(tuf::check_expiry(out.targets.common, now, "targets"));
  EW_TRY(save_role(ops, tuf_dir, Role::kTargets, tg.bytes));
  out.files.push_back({tg_file, tg.bytes});

  EW_TRY(remember_time(ops, tuf_dir, now));
  out.root = std::move(t.root);
  return out;
}

}  // namespace edgeward::ota::client
