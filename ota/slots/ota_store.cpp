#include "ota/slots/ota_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "attest/fileio.h"
#include "common/errno_error.h"
#include "common/utc_time.h"
#include "ota/slots/store_detail.h"

namespace edgeward::ota {
namespace {

constexpr size_t kMaxStateBytes = 1 << 20;

// Whether `path` holds exactly the bytes recorded as `sha256`.
bool verifies(const std::string& path, const std::string& sha256) {
  auto got = attest::sha256_file(path);
  return got && attest::to_hex(*got) == sha256;
}

// <state_dir>/ota.lock, exclusively (flock: released when the store, or its process, goes).
Result<UniqueFd> lock_state(const std::string& state_dir, LockWait wait) {
  const std::string path = state_dir + "/ota.lock";
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd.valid()) return errno_error("open " + path);
  const int how = LOCK_EX | (wait == LockWait::kNoWait ? LOCK_NB : 0);
  while (::flock(fd.get(), how) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) {
      return Error::io("the OTA state in " + state_dir + " is in use (an install is running): try again when it ends");
    }
    return errno_error("lock " + path);
  }
  return fd;
}

}  // namespace

namespace detail {

std::string now_utc() { return rfc3339_utc(static_cast<int64_t>(std::time(nullptr))); }

std::string describe(const Installed& in) {
  return (in.target.empty() ? std::string("the factory image") : in.target) + " version " + std::to_string(in.version);
}

Status make_dir(FileOps& ops, const std::string& dir) {
  struct stat st {};
  if (stat(dir.c_str(), &st) == 0) {
    return S_ISDIR(st.st_mode) ? Status{} : Error::invalid(dir + " exists and is not a directory");
  }
  if (parent_dir(dir) != dir) EW_TRY(make_dir(ops, parent_dir(dir)));
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return errno_error("create directory " + dir);
  return ops.fsync_dir(parent_dir(dir));
}

}  // namespace detail

using detail::describe;
using detail::make_dir;
using detail::now_utc;

Result<OtaStore> OtaStore::open(OtaLayout layout, FileOps& ops, LockWait wait) {
  for (const char* slot : kSlotNames) {
    if (layout.slot_dirs.count(slot) == 0) return Error::invalid(std::string("no directory for OTA slot ") + slot);
  }
  const std::string path = layout.state_dir + "/" + kStateFile;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return Error::not_found("no OTA state at " + path +
                            ": this device was never provisioned (run `edgeward ota provision`)");
  }
  EW_ASSIGN(UniqueFd lock, lock_state(layout.state_dir, wait));
  OtaStore store(std::move(layout), ops, OtaState{});
  EW_TRY(store.reload());
  EW_TRY(store.remove_unreferenced());
  return store;
}

Result<OtaStore> OtaStore::provision(OtaLayout layout, const std::string& binary, uint64_t version, FileOps& ops) {
  const std::string path = layout.state_dir + "/" + kStateFile;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) return Error::invalid(path + " exists: this device is already provisioned");
  if (layout.slot_dirs.count("A") == 0 || layout.slot_dirs.count("B") == 0) return Error::invalid("no directories for the OTA slots");
  EW_TRY(make_dir(ops, layout.state_dir));
  EW_ASSIGN(UniqueFd lock, lock_state(layout.state_dir, LockWait::kWait));
  for (const char* slot : kSlotNames) EW_TRY(make_dir(ops, layout.slot_dirs.at(slot)));
  EW_ASSIGN(attest::Digest digest, attest::sha256_file(binary));
  struct stat bin {};
  if (stat(binary.c_str(), &bin) != 0) return errno_error("stat " + binary);
  OtaStore store(std::move(layout), ops, OtaState{});
  EW_TRY(durable_copy_verified(ops, binary, store.binary_path("A"), static_cast<uint64_t>(bin.st_size), digest, 0755));
  OtaState first;
  first.slots["A"] = Installed{"", version, attest::to_hex(digest), now_utc()};
  first.last_event = "provisioned: slot A holds this binary";
  EW_TRY(store.save(std::move(first)));
  return store;
}

Status OtaStore::reload() {
  EW_ASSIGN(std::string text, attest::read_text_file(state_path(), kMaxStateBytes));
  EW_ASSIGN(state_, parse_state(text, state_path()));
  return {};
}

Result<OtaStore::ChangeLock> OtaStore::begin_change() {
  if (locked_) return ChangeLock{};
  EW_ASSIGN(UniqueFd fd, lock_state(layout_.state_dir, LockWait::kWait));
  locked_ = true;
  ChangeLock lock(&locked_, std::move(fd));
  EW_TRY(reload());
  return lock;
}

Status OtaStore::place(const Update& u, const std::string& to, const attest::Digest& digest, unsigned mode) {
  if (u.consume) return durable_move_verified(*ops_, u.file, to, u.length, digest, mode, layout_.copy_chunk);
  return durable_copy_verified(*ops_, u.file, to, u.length, digest, mode, layout_.copy_chunk);
}

std::string OtaStore::binary_path(const std::string& slot) const {
  return layout_.slot_dirs.at(slot) + "/" + kRuntimeBinary;
}

Status OtaStore::save(OtaState next) {
  EW_TRY(durable_replace(*ops_, state_path(), state_json(next)));
  state_ = std::move(next);
  return {};
}

Status OtaStore::check_floor(const Installed& what) const {
  if (!valid_name(what.target)) return Error::invalid("\"" + what.target + "\" is not a valid target name");
  const auto floor = state_.floors.find(what.target);
  if (floor != state_.floors.end() && what.version < floor->second) {
    return Error::invalid("refused: " + describe(what) + " is below this device's anti-rollback floor " +
                          std::to_string(floor->second) + " for " + what.target +
                          " (a newer version was already proven good here)");
  }
  return {};
}

Status OtaStore::install_runtime(const Update& update) {
  EW_ASSIGN(ChangeLock lock, begin_change());
  EW_TRY(check_floor(update.what));
  const auto digest = attest::digest_from_hex(update.what.sha256);
  if (!digest) return Error::invalid("sha256 of " + update.what.target + " is not 64 hex digits");
  if (!state_.trial.empty()) {
    return Error::invalid("slot " + state_.trial + " is on trial (" + describe(*state_.slots.at(state_.trial)) +
                          "): mark it good or roll it back before installing another runtime");
  }
  const std::string slot = state_.other(state_.active);
  OtaState writing = state_;
  writing.slots[slot] = std::nullopt;  // from here until the switch the slot holds nothing usable
  EW_TRY(save(std::move(writing)));
  EW_TRY(place(update, binary_path(slot), *digest, 0755));
  OtaState trial = state_;
  trial.slots[slot] = update.what;
  trial.slots[slot]->installed = now_utc();
  trial.trial = slot;
  trial.tries_left = layout_.trial_starts;
  trial.last_event = "installed " + describe(update.what) + " into slot " + slot + " (on trial)";
  return save(std::move(trial));
}

const std::string& OtaStore::next_start() const {
  return !state_.trial.empty() && state_.tries_left > 0 ? state_.trial : state_.active;
}

Result<std::string> OtaStore::boot() {
  EW_ASSIGN(ChangeLock lock, begin_change());
  if (!state_.trial.empty()) {
    const std::string& trial = state_.trial;
    std::string why;
    if (state_.tries_left == 0) {
      why = std::to_string(layout_.trial_starts) + " starts without mark-good";
    } else if (!verifies(binary_path(trial), state_.slots.at(trial)->sha256)) {
      why = "its binary does not match the recorded sha256";
    }
    if (!why.empty()) {
      EW_TRY(rollback(why));
    } else {
      OtaState counted = state_;
      --counted.tries_left;
      EW_TRY(save(std::move(counted)));
      return state_.trial;
    }
  }
  if (!verifies(binary_path(state_.active), state_.slots.at(state_.active)->sha256)) {
    return Error::io("slot " + state_.active + "'s binary " + binary_path(state_.active) +
                     " does not match its recorded sha256: the device needs a reinstall");
  }
  return state_.active;
}

Status OtaStore::mark_good(const std::string& running_sha256) {
  EW_ASSIGN(ChangeLock lock, begin_change());
  if (state_.trial.empty()) {
    return Error::invalid("nothing to mark good: slot " + state_.active + " is active and no update is on trial");
  }
  const Installed& trial = *state_.slots.at(state_.trial);
  if (!running_sha256.empty() && running_sha256 != trial.sha256) {
    return Error::invalid("this binary is not slot " + state_.trial + "'s " + describe(trial) +
                          ": only the started update can mark itself good");
  }
  const OtaState before = state_;
  OtaState good = state_;
  good.active = state_.trial;
  good.trial.clear();
  good.tries_left = 0;
  auto raise = [&](const Installed& in) {
    if (!in.target.empty()) good.floors[in.target] = std::max(good.floors[in.target], in.version);
  };
  raise(trial);
  good.last_event = "marked slot " + good.active + " good (" + describe(trial) + ")";
  if (state_.trial_release) {  // the release's workload images become current with it
    for (const std::string& name : state_.trial_release->workloads) {
      WorkloadImages& w = good.workloads[name];
      w.current = w.pending;
      w.pending.reset();
      raise(*w.current);
    }
    good.release = state_.trial_release->what;
    raise(*good.release);
    good.trial_release.reset();
    good.last_event += " with release " + describe(*good.release);
  }
  EW_TRY(save(std::move(good)));
  return remove_dropped_images(before);
}

Status OtaStore::rollback(const std::string& reason) {
  EW_ASSIGN(ChangeLock lock, begin_change());
  if (state_.trial.empty()) {
    return Error::invalid("nothing to roll back: slot " + state_.active +
                          " is active and marked good (the other slot's version is below the anti-rollback floor)");
  }
  const OtaState before = state_;
  OtaState back = state_;
  back.last_event = "rolled back from slot " + state_.trial + " (" + describe(*state_.slots.at(state_.trial)) +
                    "): " + reason;
  back.trial.clear();
  back.tries_left = 0;
  if (state_.trial_release) {  // with the release's workload images
    for (const std::string& name : state_.trial_release->workloads) back.workloads[name].pending.reset();
    back.last_event += "; release " + describe(state_.trial_release->what) + " dropped with it";
    back.trial_release.reset();
  }
  EW_TRY(save(std::move(back)));
  return remove_dropped_images(before);
}

Status OtaStore::remove_dropped_images(const OtaState& before) {
  for (const auto& [name, was] : before.workloads) {
    const auto now = state_.workloads.find(name);
    auto kept = [&](const Installed& in) {
      if (now == state_.workloads.end()) return false;
      return (now->second.current && now->second.current->sha256 == in.sha256) ||
             (now->second.pending && now->second.pending->sha256 == in.sha256);
    };
    for (const auto* in : {&was.current, &was.pending}) {
      if (*in && !kept(**in)) EW_TRY(ops_->unlink(workload_file(name, **in)));
    }
  }
  return {};
}

Status OtaStore::check_release_member(const std::string& name) const {
  if (!state_.trial_release) return {};
  const auto& names = state_.trial_release->workloads;
  if (std::find(names.begin(), names.end(), name) == names.end()) return {};
  return Error::invalid("workload " + name + "'s pending image came with release " +
                        describe(state_.trial_release->what) + " on trial in slot " + state_.trial +
                        ": it becomes current with `edgeward ota mark-good` or is dropped with `ota rollback`");
}

std::string OtaStore::workload_file(const std::string& name, const Installed& image) const {
  return layout_.state_dir + "/workloads/" + name + "/" + image.sha256 + ".ewi";
}

Status OtaStore::install_workload(const std::string& name, const Update& update) {
  EW_ASSIGN(ChangeLock lock, begin_change());
  if (!valid_name(name)) return Error::invalid("\"" + name + "\" is not a valid workload name");
  EW_TRY(check_release_member(name));
  EW_TRY(check_floor(update.what));
  const auto digest = attest::digest_from_hex(update.what.sha256);
  if (!digest) return Error::invalid("sha256 of " + update.what.target + " is not 64 hex digits");
  if (state_.workloads.count(name) && state_.workloads.at(name).pending) {  // superseded before it proved healthy
    OtaState dropped = state_;
    const Installed old = *dropped.workloads[name].pending;
    dropped.workloads[name].pending.reset();
    EW_TRY(save(std::move(dropped)));
    EW_TRY(ops_->unlink(workload_file(name, old)));
  }
  EW_TRY(make_dir(*ops_, layout_.state_dir + "/workloads"));
  EW_TRY(make_dir(*ops_, layout_.state_dir + "/workloads/" + name));
  EW_TRY(place(update, workload_file(name, update.what), *digest, 0600));
  OtaState pending = state_;
  pending.workloads[name].pending = update.what;
  pending.workloads[name].pending->installed = now_utc();
  pending.last_event = "installed " + describe(update.what) + " for workload " + name + " (pending until healthy)";
  return save(std::move(pending));
}

Status OtaStore::workload_healthy(const std::string& name) {
  EW_ASSIGN(ChangeLock lock, begin_change());
  EW_TRY(check_release_member(name));
  const auto it = state_.workloads.find(name);
  if (it == state_.workloads.end() || !it->second.pending) return Error::not_found("workload " + name + " has no pending update");
  const std::optional<Installed> old = it->second.current;
  OtaState healthy = state_;
  WorkloadImages& w = healthy.workloads[name];
  w.current = w.pending;
  w.pending.reset();
  healthy.floors[w.current->target] = std::max(healthy.floors[w.current->target], w.current->version);
  healthy.last_event = "workload " + name + " now runs " + describe(*w.current);
  EW_TRY(save(std::move(healthy)));
  if (old && old->sha256 != state_.workloads.at(name).current->sha256) EW_TRY(ops_->unlink(workload_file(name, *old)));
  return {};
}

Status OtaStore::workload_failed(const std::string& name, const std::string& reason) {
  EW_ASSIGN(ChangeLock lock, begin_change());
  EW_TRY(check_release_member(name));
  const auto it = state_.workloads.find(name);
  if (it == state_.workloads.end() || !it->second.pending) return Error::not_found("workload " + name + " has no pending update");
  const Installed failed = *it->second.pending;
  OtaState back = state_;
  back.workloads[name].pending.reset();
  back.last_event = "workload " + name + ": dropped " + describe(failed) + ": " + reason;
  EW_TRY(save(std::move(back)));
  if (!state_.workloads.at(name).current || state_.workloads.at(name).current->sha256 != failed.sha256) {
    EW_TRY(ops_->unlink(workload_file(name, failed)));
  }
  return {};
}

std::optional<std::string> OtaStore::workload_image(const std::string& name) const {
  const auto it = state_.workloads.find(name);
  if (it == state_.workloads.end()) return std::nullopt;
  const auto& image = it->second.pending ? it->second.pending : it->second.current;
  if (!image) return std::nullopt;
  return workload_file(name, *image);
}

// What a crash left behind: temp and part files, and images no state refers to.
Status OtaStore::remove_unreferenced() {
  std::vector<std::string> doomed;
  const std::string state_tmp = state_path() + ".tmp";
  struct stat st {};
  if (stat(state_tmp.c_str(), &st) == 0) doomed.push_back(state_tmp);
  for (const char* slot : kSlotNames) {
    const std::string part = binary_path(slot) + ".part";
    if (stat(part.c_str(), &st) == 0) doomed.push_back(part);
  }
  const std::string root = layout_.state_dir + "/workloads";
  if (DIR* d = opendir(root.c_str())) {
    for (dirent* e; (e = readdir(d)) != nullptr;) {
      const std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      const auto w = state_.workloads.find(name);
      if (DIR* images = opendir((root + "/" + name).c_str())) {
        for (dirent* f; (f = readdir(images)) != nullptr;) {
          const std::string file = f->d_name;
          if (file == "." || file == "..") continue;
          const bool kept = w != state_.workloads.end() &&
                            ((w->second.current && file == w->second.current->sha256 + ".ewi") ||
                             (w->second.pending && file == w->second.pending->sha256 + ".ewi"));
          if (!kept) doomed.push_back(root + "/" + name + "/" + file);
        }
        closedir(images);
      }
    }
    closedir(d);
  }
  for (const auto& path : doomed) EW_TRY(ops_->unlink(path));
  return {};
}

}  // namespace edgeward::ota
