// OtaStore::install_release (ota_store.h): a release's runtime and workload images installed as
// one transaction. Every file is copied and verified before the single state change that puts
// them on trial together; after a power cut before it, open() finds the old state and removes the
// copies no state refers to.
#include <set>

#include "ota/slots/ota_store.h"
#include "ota/slots/store_detail.h"

namespace edgeward::ota {

Status OtaStore::install_release(const ReleaseUpdate& r) {
  using detail::describe;
  EW_ASSIGN(ChangeLock lock, begin_change());
  EW_TRY(check_floor(r.what));
  EW_TRY(check_floor(r.runtime.what));
  if (!state_.trial.empty()) {
    return Error::invalid("slot " + state_.trial + " is on trial (" + describe(*state_.slots.at(state_.trial)) +
                          "): mark it good or roll it back before installing release " + describe(r.what));
  }
  const auto runtime_digest = attest::digest_from_hex(r.runtime.what.sha256);
  if (!runtime_digest) return Error::invalid("sha256 of " + r.runtime.what.target + " is not 64 hex digits");
  std::set<std::string> names;
  std::vector<attest::Digest> digests;
  for (const auto& [name, update] : r.workloads) {
    if (!valid_name(name)) return Error::invalid("\"" + name + "\" is not a valid workload name");
    if (!names.insert(name).second) return Error::invalid("release " + r.what.target + " names workload " + name + " twice");
    EW_TRY(check_floor(update.what));
    const auto digest = attest::digest_from_hex(update.what.sha256);
    if (!digest) return Error::invalid("sha256 of " + update.what.target + " is not 64 hex digits");
    digests.push_back(*digest);
  }

  // Durably forget what the inactive slot held and the release's workloads' earlier pending images.
  const std::string slot = state_.other(state_.active);
  const OtaState before = state_;
  OtaState writing = state_;
  writing.slots[slot] = std::nullopt;
  for (const std::string& name : names) {
    if (auto w = writing.workloads.find(name); w != writing.workloads.end()) w->second.pending.reset();
  }
  EW_TRY(save(std::move(writing)));
  EW_TRY(remove_dropped_images(before));

  // A copy that fails (a member that does not verify, a full disk) takes the earlier ones with it.
  auto copy_all = [&]() -> Status {
    EW_TRY(place(r.runtime, binary_path(slot), *runtime_digest, 0755));
    for (size_t i = 0; i < r.workloads.size(); ++i) {
      const auto& [name, update] = r.workloads[i];
      const auto w = state_.workloads.find(name);
      if (w != state_.workloads.end() && w->second.current && w->second.current->sha256 == update.what.sha256) continue;
      EW_TRY(detail::make_dir(*ops_, layout_.state_dir + "/workloads/" + name));
      EW_TRY(place(update, workload_file(name, update.what), digests[i], 0600));
    }
    return {};
  };
  if (auto copied = copy_all(); !copied) {
    (void)remove_unreferenced();
    return copied;
  }

  // The switch: the runtime on trial and every image pending with it, in one replace.
  const std::string when = detail::now_utc();
  OtaState trial = state_;
  trial.slots[slot] = r.runtime.what;
  trial.slots[slot]->installed = when;
  trial.trial = slot;
  trial.tries_left = layout_.trial_starts;
  TrialRelease release{r.what, {}};
  release.what.installed = when;
  for (const auto& [name, update] : r.workloads) {
    trial.workloads[name].pending = update.what;
    trial.workloads[name].pending->installed = when;
    release.workloads.push_back(name);
  }
  trial.trial_release = std::move(release);
  trial.last_event = "installed release " + describe(r.what) + ": " + describe(r.runtime.what) + " into slot " + slot +
                     " (on trial) and " + std::to_string(r.workloads.size()) + " workload image(s) pending with it";
  return save(std::move(trial));
}

}  // namespace edgeward::ota
