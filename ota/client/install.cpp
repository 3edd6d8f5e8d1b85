// Kind dispatch from a verified target to OtaStore (see install.h).
#include "ota/client/install.h"

namespace edgeward::ota::client {
namespace {

Status check_runtime_fits(const TargetInfo& t, const Device& device) {
  if (!t.board.empty() && t.board != device.board) {
    return Error::invalid("refused: runtime " + t.name + " is built for board " + t.board + ", this device is " +
                          device.board);
  }
  if (!t.arch.empty() && t.arch != device.arch) {
    return Error::invalid("refused: runtime " + t.name + " is built for arch " + t.arch + ", this device is " +
                          device.arch);
  }
  if (!t.version) return Error::invalid("refused: runtime " + t.name + " has no custom.version (publish it with --version N)");
  return {};
}

}  // namespace

Status check_installable(const TargetInfo& t, const Device& device) {
  if (t.kind == "runtime") return check_runtime_fits(t, device);
  if (t.kind == "workload") return {};
  if (t.kind == "release") return {};  // its members are checked by plan_release (release.h)
  return Error::invalid("refused: " + t.name + " has kind \"" + t.kind + "\" (expected runtime or workload)");
}

Result<std::string> install_target(OtaStore& store, const TargetInfo& t, const std::string& file,
                                   const std::string& workload_name, const Device& device) {
  EW_TRY(check_installable(t, device));
  const Update update{Installed{t.name, t.version.value_or(0), t.sha256, ""}, file, t.length, /*consume=*/true};
  if (t.kind == "runtime") {
    EW_TRY(store.install_runtime(update));
    return "runtime " + t.name + " version " + std::to_string(*t.version) + " on trial in slot " + store.state().trial;
  }
  if (t.kind == "workload") {
    if (!valid_name(workload_name)) return Error::invalid("\"" + workload_name + "\" is not a valid workload name (--name)");
    EW_TRY(store.install_workload(workload_name, update));
    return "workload " + workload_name + ": " + t.name + " version " + std::to_string(update.what.version) +
           " pending until healthy";
  }
  return Error::internal(t.name + " is a " + t.kind + ": install it with install_release (release.h)");
}

}  // namespace edgeward::ota::client
