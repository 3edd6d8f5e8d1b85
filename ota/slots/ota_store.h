// The device side of an OTA install, below the network: the runtime's A/B slots and the workload
// images, with every change to the state made by one atomic replace of ota-state.json.
//
// Runtime: install_runtime() forgets what the inactive slot held (durably), copies the verified
// binary into it, then — the switch — records it as the trial slot with `trial_starts` starts.
// boot() picks the slot to run and counts the start; a trial that has used its starts without
// mark_good() (after the health check) is rolled back, the reason kept for `ota status`.
// Workloads: a new image is copied beside the one in use and recorded as pending; it replaces the
// old one (which is then removed) only once healthy. Version floors (anti-rollback) rise when an
// update is marked good or healthy; nothing below a floor is installed again.
//
// After a power cut at any point, open() finds the old or the new state, never a mix, and
// removes the files no state refers to (tests/ota/slots/power_cut_test.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "ota/file_ops.h"
#include "ota/slots/ota_state.h"

namespace edgeward::ota {

inline constexpr const char* kRuntimeBinary = "edgeward";  // inside a slot directory
inline constexpr const char* kStateFile = "ota-state.json";

struct OtaLayout {
  std::string state_dir;                        // ota-state.json and workloads/<name>/<sha256>.ewi
  std::map<std::string, std::string> slot_dirs;  // "A", "B" -> directory of the runtime binary
  uint32_t trial_starts = 3;                    // starts a new runtime gets before it is rolled back
  size_t copy_chunk = 1 << 20;                   // write size when copying an update into place
};

// An update to install: what verified metadata says about it, and the downloaded file.
struct Update {
  Installed what;        // target, version, sha256 (installed time is set on install)
  std::string file;      // the downloaded bytes
  uint64_t length = 0;
  bool consume = false;  // `file` is a private download: moved into place when it can be (no copy)
};

// A release: the runtime and the exact workload images that go with it, one transaction.
struct ReleaseUpdate {
  Installed what;  // the release target itself
  Update runtime;
  std::vector<std::pair<std::string, Update>> workloads;  // workload name, its image
};

// Whether open() waits for another process (an `ota install`, the daemon's updater) to finish
// with the state, or fails at once (a kIo error saying the state is in use).
enum class LockWait { kWait, kNoWait };

class OtaStore {
 public:
  // Reads the state; kNotFound when this device was never provisioned. Several processes share
  // the state (an `ota install`, `ota boot`, the daemon's updater): open() and every change take
  // an exclusive lock on <state_dir>/ota.lock and re-read the state under it, so one change
  // happens at a time, each on the latest state, and nobody's half-copied file is taken for a
  // leftover. `wait` applies to open() (changes always wait).
  static Result<OtaStore> open(OtaLayout layout, FileOps& ops = system_file_ops(), LockWait wait = LockWait::kWait);
  // First state of a device: `binary` (e.g. /proc/self/exe) copied into slot A, which is active.
  static Result<OtaStore> provision(OtaLayout layout, const std::string& binary, uint64_t version,
                                    FileOps& ops = system_file_ops());

  const OtaState& state() const { return state_; }
  const OtaLayout& layout() const { return layout_; }
  std::string binary_path(const std::string& slot) const;

  Status install_runtime(const Update& update);
  // The runtime into the inactive slot and each workload image beside the one in use, then one
  // switch: the slot on trial with the images pending. mark_good() makes all of them current,
  // rollback() (by hand or when the trial's starts are spent) drops all of them. Pending images of
  // the release's workloads from earlier updates are superseded (release_install.cpp).
  Status install_release(const ReleaseUpdate& release);
  // The slot the next start runs, without counting it.
  const std::string& next_start() const;
  // Counts a start and returns the slot to run (rolling a spent trial back first). A slot whose
  // binary does not match its recorded SHA-256 is never run: a trial is rolled back for it.
  Result<std::string> boot();
  // The trial slot becomes the active one. `running_sha256` is the caller's own binary: only the
  // started update can declare itself good ("" skips the check).
  Status mark_good(const std::string& running_sha256);
  Status rollback(const std::string& reason);

  Status install_workload(const std::string& name, const Update& update);
  // Refused for a workload whose pending image came with the release on trial (its fate is the
  // runtime's: mark_good / rollback).
  Status workload_healthy(const std::string& name);
  Status workload_failed(const std::string& name, const std::string& reason);
  // The image to run: the pending one while it is on probation, else the one in use.
  std::optional<std::string> workload_image(const std::string& name) const;
  std::string workload_file(const std::string& name, const Installed& image) const;

 private:
  OtaStore(OtaLayout layout, FileOps& ops, OtaState state)
      : layout_(std::move(layout)), ops_(&ops), state_(std::move(state)) {}
  // Held for one change; a change made inside another (boot's rollback) reuses the outer lock.
  class ChangeLock {
   public:
    ChangeLock() = default;
    ChangeLock(bool* held, UniqueFd fd) : held_(held), fd_(std::move(fd)) {}
    ChangeLock(ChangeLock&& o) noexcept : held_(std::exchange(o.held_, nullptr)), fd_(std::move(o.fd_)) {}
    ChangeLock& operator=(ChangeLock&&) = delete;
    ~ChangeLock() {
      if (held_) *held_ = false;
    }

   private:
    bool* held_ = nullptr;
    UniqueFd fd_;
  };
  // Takes the lock and re-reads the state (another process may have changed it).
  Result<ChangeLock> begin_change();
  Status reload();
  Status save(OtaState next);
  Status check_floor(const Installed& what) const;
  Status remove_unreferenced();
  Status check_release_member(const std::string& name) const;
  // Copies (or, for a consumable download, moves) a verified update to `to`.
  Status place(const Update& update, const std::string& to, const attest::Digest& digest, unsigned mode);
  // Unlinks the workload images `before` referenced and the current state no longer does.
  Status remove_dropped_images(const OtaState& before);
  std::string state_path() const { return layout_.state_dir + "/" + kStateFile; }

  OtaLayout layout_;
  FileOps* ops_;
  OtaState state_;
  bool locked_ = false;
};

}  // namespace edgeward::ota
