// Release members from signed metadata, checked against the targets they name (see release.h).
#include "ota/client/release.h"

#include <set>

namespace edgeward::ota::client {
namespace {

Error refused(const TargetInfo& r, const std::string& why) {
  return Error::invalid("refused: release " + r.name + ": " + why);
}

}  // namespace

Result<std::vector<TargetInfo>> pinned_members(const TargetInfo& release, const tuf::TargetFile& file,
                                               const std::map<std::string, tuf::TargetFile>& targets) {
  if (release.kind != "release") return Error::internal(release.name + " is not a release");
  if (!release.version) return refused(release, "no custom.version (publish it with --version N)");
  const nlohmann::json& custom = file.custom;
  if (!custom.is_object() || !custom.contains("members") || !custom["members"].is_array()) {
    return refused(release, "custom.members is missing or not a list");
  }
  const nlohmann::json& members = custom["members"];
  if (members.empty() || members.size() > kMaxReleaseMembers) {
    return refused(release, "it lists " + std::to_string(members.size()) + " members (1 to " +
                                std::to_string(kMaxReleaseMembers) + " expected)");
  }
  std::vector<TargetInfo> out;
  std::set<std::string> seen_targets;
  for (const nlohmann::json& m : members) {
    if (!m.is_object() || !m.contains("name") || !m["name"].is_string() || !m.contains("length") ||
        !m["length"].is_number_unsigned() || !m.contains("sha256") || !m["sha256"].is_string()) {
      return refused(release, "a member is not {name, length, sha256}");
    }
    const std::string name = m["name"].get<std::string>();
    if (!seen_targets.insert(name).second) return refused(release, "member " + name + " is listed twice");
    const auto it = targets.find(name);
    if (it == targets.end()) return refused(release, "member " + name + " is not a target of the same targets metadata");
    TargetInfo t = describe_target(name, it->second);
    if (t.length != m["length"].get<uint64_t>() || t.sha256 != m["sha256"].get<std::string>()) {
      return refused(release, "member " + name + " is pinned to sha256 " + m["sha256"].get<std::string>().substr(0, 16) +
                                  "… but the target of that name now has " + t.sha256.substr(0, 16) +
                                  "… (mixed releases are not installed)");
    }
    out.push_back(std::move(t));
  }
  return out;
}

Result<ReleasePlan> plan_release(const TargetInfo& release, const tuf::TargetFile& file,
                                 const std::map<std::string, tuf::TargetFile>& targets, const Device& device) {
  EW_ASSIGN(std::vector<TargetInfo> members, pinned_members(release, file, targets));
  ReleasePlan plan{release, {}, {}};
  std::set<std::string> seen_workloads;
  bool have_runtime = false;
  for (TargetInfo& t : members) {
    const std::string& name = t.name;
    if (t.kind == "runtime") {
      if (have_runtime) return refused(release, "it holds more than one runtime");
      if (auto fits = check_installable(t, device); !fits) {
        std::string why = fits.error().message;
        if (why.rfind("refused: ", 0) == 0) why.erase(0, 9);
        return refused(release, why);
      }
      plan.runtime = t;
      have_runtime = true;
    } else if (t.kind == "workload") {
      const std::string workload = default_workload_name(name);
      if (!valid_name(workload)) return refused(release, "member " + name + " gives no valid workload name");
      if (!seen_workloads.insert(workload).second) return refused(release, "two members install workload " + workload);
      plan.workloads.emplace_back(workload, t);
    } else {
      return refused(release, "member " + name + " has kind \"" + t.kind + "\" (a release holds runtime and workload targets)");
    }
  }
  if (!have_runtime) return refused(release, "it holds no runtime (a release is a runtime build plus its workloads)");
  return plan;
}

Result<std::string> install_release(OtaStore& store, const ReleasePlan& plan,
                                    const std::map<std::string, std::string>& files) {
  auto update_of = [&](const TargetInfo& t) -> Result<Update> {
    const auto f = files.find(t.name);
    if (f == files.end()) return Error::internal("member " + t.name + " was not downloaded");
    return Update{Installed{t.name, t.version.value_or(0), t.sha256, ""}, f->second, t.length, /*consume=*/true};
  };
  ReleaseUpdate r;
  r.what = Installed{plan.release.name, *plan.release.version, plan.release.sha256, ""};
  EW_ASSIGN(r.runtime, update_of(plan.runtime));
  for (const auto& [name, t] : plan.workloads) {
    EW_ASSIGN(Update u, update_of(t));
    r.workloads.emplace_back(name, std::move(u));
  }
  EW_TRY(store.install_release(r));
  return "release " + plan.release.name + " version " + std::to_string(*plan.release.version) + ": runtime " +
         plan.runtime.name + " on trial in slot " + store.state().trial + ", " + std::to_string(plan.workloads.size()) +
         " workload image(s) pending with it (all current after `ota mark-good`, all dropped on rollback)";
}

}  // namespace edgeward::ota::client
