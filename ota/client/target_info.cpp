// Target custom fields and their comparison with the device's state (see target_info.h).
#include "ota/client/target_info.h"

namespace edgeward::ota::client {
namespace {

std::string string_field(const nlohmann::json& custom, const char* key) {
  if (!custom.is_object() || !custom.contains(key) || !custom[key].is_string()) return "";
  return custom[key].get<std::string>();
}

}  // namespace

TargetInfo describe_target(const std::string& name, const tuf::TargetFile& file) {
  TargetInfo t;
  t.name = name;
  t.kind = string_field(file.custom, "kind");
  t.board = string_field(file.custom, "board");
  t.arch = string_field(file.custom, "arch");
  if (file.custom.is_object() && file.custom.contains("version")) {
    const nlohmann::json& v = file.custom["version"];
    if (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)) t.version = v.get<uint64_t>();
  }
  t.length = file.length;
  t.sha256 = file.hashes.at("sha256");
  return t;
}

std::string default_workload_name(const std::string& target) {
  const size_t slash = target.rfind('/');
  std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
  if (base.size() > 4 && base.ends_with(".ewi")) base.resize(base.size() - 4);
  return base;
}

std::string update_status(const OtaState* state, const TargetInfo& t, const std::string& workload_name) {
  if (state == nullptr) return "newer";
  uint64_t installed = 0;
  bool any = false;
  auto consider = [&](const std::optional<Installed>& in) {
    if (!in || in->target != t.name) return false;
    any = true;
    installed = std::max(installed, in->version);
    return in->sha256 == t.sha256;
  };
  bool same_bytes = false;
  for (const auto& [slot, in] : state->slots) same_bytes |= consider(in);
  same_bytes |= consider(state->release);
  if (state->trial_release) same_bytes |= consider(state->trial_release->what);
  if (auto w = state->workloads.find(workload_name); w != state->workloads.end()) {
    same_bytes |= consider(w->second.current);
    same_bytes |= consider(w->second.pending);
  }
  if (same_bytes) return "installed";
  const uint64_t version = t.version.value_or(0);
  if (auto f = state->floors.find(t.name); f != state->floors.end() && version < f->second) return "below-floor";
  if (any && version <= installed) return "not-newer";
  return "newer";
}

}  // namespace edgeward::ota::client
