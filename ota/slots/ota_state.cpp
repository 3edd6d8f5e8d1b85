#include "ota/slots/ota_state.h"

#include <nlohmann/json.hpp>

namespace edgeward::ota {
namespace {

using nlohmann::json;

constexpr size_t kMaxEntries = 1024;  // floors, workloads: a device has far fewer
constexpr uint32_t kMaxTries = 100;

bool is_slot(std::string_view s) { return s == "A" || s == "B"; }

bool is_sha256(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

struct Reader {
  const std::string& where;
  Error bad(const std::string& path, const std::string& what) const {
    return Error::invalid(where + ": " + path + ": " + what +
                          " (the OTA state is damaged; `edgeward ota status` names the file to restore)");
  }
  Result<const json*> field(const json& j, const std::string& path, const char* key, json::value_t type,
                            bool required = true) const {
    const auto it = j.find(key);
    if (it == j.end()) {
      if (!required) return static_cast<const json*>(nullptr);
      return bad(path + "." + key, "missing");
    }
    const bool ok = type == json::value_t::number_unsigned ? it->is_number_unsigned() : it->type() == type;
    if (!ok) return bad(path + "." + key, std::string("expected ") + json(type).type_name() + ", got " + it->type_name());
    return &*it;
  }
  Result<Installed> installed(const json& j, const std::string& path) const {
    if (!j.is_object()) return bad(path, "expected an object");
    Installed in;
    EW_ASSIGN(const json* target, field(j, path, "target", json::value_t::string));
    EW_ASSIGN(const json* version, field(j, path, "version", json::value_t::number_unsigned));
    EW_ASSIGN(const json* sha, field(j, path, "sha256", json::value_t::string));
    EW_ASSIGN(const json* when, field(j, path, "installed", json::value_t::string));
    in.target = target->get<std::string>();
    if (!in.target.empty() && !valid_name(in.target)) return bad(path + ".target", "not a valid target name");
    in.version = version->get<uint64_t>();
    in.sha256 = sha->get<std::string>();
    if (!is_sha256(in.sha256)) return bad(path + ".sha256", "expected 64 lowercase hex digits");
    in.installed = when->get<std::string>();
    if (in.installed.size() > 64) return bad(path + ".installed", "too long");
    return in;
  }
  // Needs the slots and workloads already read: its workloads must each hold a pending image.
  Result<TrialRelease> trial_release(const json& j, const OtaState& s) const {
    const std::string path = ".trial_release";
    if (!j.is_object()) return bad(path, "expected an object or null");
    if (s.trial.empty()) return bad(path, "a release on trial without a trial slot");
    TrialRelease t;
    EW_ASSIGN(const json* what, field(j, path, "release", json::value_t::object));
    EW_ASSIGN(t.what, installed(*what, path + ".release"));
    EW_ASSIGN(const json* names, field(j, path, "workloads", json::value_t::array));
    if (names->size() > kMaxEntries) return bad(path + ".workloads", "too many entries");
    for (const json& n : *names) {
      if (!n.is_string() || !valid_name(n.get<std::string>())) return bad(path + ".workloads", "bad workload name");
      const auto w = s.workloads.find(n.get<std::string>());
      if (w == s.workloads.end() || !w->second.pending) {
        return bad(path + ".workloads", n.get<std::string>() + " has no pending image");
      }
      t.workloads.push_back(n.get<std::string>());
    }
    return t;
  }
  Result<std::optional<Installed>> maybe(const json& j, const std::string& path) const {
    if (j.is_null()) return std::optional<Installed>();
    EW_ASSIGN(Installed in, installed(j, path));
    return std::optional<Installed>(std::move(in));
  }
};

json installed_json(const std::optional<Installed>& in) {
  if (!in) return nullptr;
  return {{"target", in->target}, {"version", in->version}, {"sha256", in->sha256}, {"installed", in->installed}};
}

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  return true;
}

const std::string& OtaState::other(const std::string& slot) const {
  static const std::string a = "A", b = "B";
  return slot == "A" ? b : a;
}

Result<OtaState> parse_state(std::string_view text, const std::string& where) {
  const Reader r{where};
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return r.bad("(file)", "not JSON");
  if (!j.is_object()) return r.bad("(file)", "expected an object");
  EW_ASSIGN(const json* format, r.field(j, "", "format", json::value_t::number_unsigned));
  if (format->get<uint64_t>() != 1) return r.bad(".format", "unknown format " + format->dump() + " (this binary reads 1)");
  OtaState s;
  EW_ASSIGN(const json* active, r.field(j, "", "active", json::value_t::string));
  EW_ASSIGN(const json* trial, r.field(j, "", "trial", json::value_t::string));
  EW_ASSIGN(const json* tries, r.field(j, "", "tries_left", json::value_t::number_unsigned));
  EW_ASSIGN(const json* slots, r.field(j, "", "slots", json::value_t::object));
  EW_ASSIGN(const json* floors, r.field(j, "", "floors", json::value_t::object));
  EW_ASSIGN(const json* workloads, r.field(j, "", "workloads", json::value_t::object));
  EW_ASSIGN(const json* event, r.field(j, "", "last_event", json::value_t::string));
  s.active = active->get<std::string>();
  if (!is_slot(s.active)) return r.bad(".active", "expected \"A\" or \"B\"");
  s.trial = trial->get<std::string>();
  if (!s.trial.empty() && s.trial != s.other(s.active)) return r.bad(".trial", "expected \"\" or the inactive slot");
  if (tries->get<uint64_t>() > kMaxTries) return r.bad(".tries_left", "more than " + std::to_string(kMaxTries));
  s.tries_left = tries->get<uint32_t>();
  if (slots->size() != 2) return r.bad(".slots", "expected exactly A and B");
  for (const char* name : kSlotNames) {
    const auto it = slots->find(name);
    if (it == slots->end()) return r.bad(std::string(".slots.") + name, "missing");
    EW_ASSIGN(s.slots[name], r.maybe(*it, std::string(".slots.") + name));
  }
  if (!s.slots[s.active]) return r.bad(".slots." + s.active, "the active slot is empty");
  if (!s.trial.empty() && !s.slots[s.trial]) return r.bad(".slots." + s.trial, "the trial slot is empty");
  if (floors->size() > kMaxEntries || workloads->size() > kMaxEntries) return r.bad("(file)", "too many entries");
  for (const auto& [name, v] : floors->items()) {
    if (!valid_name(name)) return r.bad(".floors", "bad target name");
    if (!v.is_number_unsigned()) return r.bad(".floors." + name, "expected a version number");
    s.floors[name] = v.get<uint64_t>();
  }
  for (const auto& [name, w] : workloads->items()) {
    const std::string path = ".workloads." + name;
    if (!valid_name(name)) return r.bad(".workloads", "bad workload name");
    if (!w.is_object()) return r.bad(path, "expected an object");
    WorkloadImages images;
    if (w.contains("current")) {
      EW_ASSIGN(images.current, r.maybe(w.at("current"), path + ".current"));
    }
    if (w.contains("pending")) {
      EW_ASSIGN(images.pending, r.maybe(w.at("pending"), path + ".pending"));
    }
    s.workloads[name] = std::move(images);
  }
  if (j.contains("release")) {
    EW_ASSIGN(s.release, r.maybe(j.at("release"), ".release"));
  }
  if (j.contains("trial_release") && !j.at("trial_release").is_null()) {
    EW_ASSIGN(s.trial_release, r.trial_release(j.at("trial_release"), s));
  }
  s.last_event = event->get<std::string>();
  return s;
}

std::string state_json(const OtaState& s) {
  json slots = json::object();
  for (const auto& [name, in] : s.slots) slots[name] = installed_json(in);
  json workloads = json::object();
  for (const auto& [name, w] : s.workloads) {
    workloads[name] = {{"current", installed_json(w.current)}, {"pending", installed_json(w.pending)}};
  }
  json trial_release = nullptr;
  if (s.trial_release) {
    trial_release = {{"release", installed_json(s.trial_release->what)}, {"workloads", s.trial_release->workloads}};
  }
  const json j = {{"format", 1},
                  {"active", s.active},
                  {"trial", s.trial},
                  {"tries_left", s.tries_left},
                  {"slots", slots},
                  {"floors", s.floors},
                  {"workloads", workloads},
                  {"release", installed_json(s.release)},
                  {"trial_release", trial_release},
                  {"last_event", s.last_event}};
  return j.dump(2) + "\n";
}

}  // namespace edgeward::ota
