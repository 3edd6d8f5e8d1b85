#include "runtime/oci/process_fields_json.h"

#include <limits>
#include <set>

#include "runtime/sandbox/capabilities.h"
#include "runtime/sandbox/rlimits.h"

namespace edgeward::oci {
namespace {

using json = nlohmann::ordered_json;

class Fields {
 public:
  explicit Fields(const std::string& source) : source_(source) {}

  Error error(const std::string& path, const std::string& what) const {
    return Error::invalid(source_ + ": " + path + ": " + what);
  }
  // The member `key` of `j`: nullptr when absent or null.
  static const json* member(const json& j, const char* key) {
    auto it = j.find(key);
    return it == j.end() || it->is_null() ? nullptr : &*it;
  }
  // An integer in [lo, hi].
  Result<int64_t> integer(const json& v, const std::string& path, int64_t lo, int64_t hi) const {
    if (!v.is_number_integer()) return error(path, std::string("expected an integer, got ") + v.type_name());
    const std::string range = " is out of range (" + std::to_string(lo) + " .. " + std::to_string(hi) + ")";
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi)) return error(path, std::to_string(v.get<uint64_t>()) + range);
    if (!v.is_number_unsigned() && (v.get<int64_t>() < lo || v.get<int64_t>() > hi)) return error(path, std::to_string(v.get<int64_t>()) + range);
    return v.get<int64_t>();
  }
  Result<uint64_t> unsigned64(const json& v, const std::string& path) const {
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
      return error(path, std::string("expected a non-negative integer, got ") + v.type_name());
    }
    return v.get<uint64_t>();
  }

 private:
  const std::string& source_;
};

edgeward::Status read_rlimits(const Fields& f, const json& p, ProcessFields& out) {
  const json* a = Fields::member(p, "rlimits");
  if (!a) return {};
  if (!a->is_array()) return f.error("process.rlimits", std::string("expected an array, got ") + a->type_name());
  std::set<std::string> seen;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string at = "process.rlimits[" + std::to_string(i) + "]";
    const json& e = (*a)[i];
    if (!e.is_object()) return f.error(at, std::string("expected an object, got ") + e.type_name());
    ProcessFields::Rlimit r;
    const json* type = Fields::member(e, "type");
    if (!type || !type->is_string()) return f.error(at + ".type", "missing or not a string (e.g. \"RLIMIT_NOFILE\")");
    r.type = type->get<std::string>();
    if (!sandbox::rlimit_resource(r.type)) {
      return f.error(at + ".type", "unknown resource \"" + r.type + "\" (RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_CORE, ... as in setrlimit(2))");
    }
    if (!seen.insert(r.type).second) return f.error(at + ".type", r.type + " is given twice; give each resource once");
    for (const char* key : {"soft", "hard"}) {
      const json* v = Fields::member(e, key);
      if (!v) return f.error(at + "." + key, "missing");
      EW_ASSIGN(uint64_t value, f.unsigned64(*v, at + "." + key));
      (std::string(key) == "soft" ? r.soft : r.hard) = value;
    }
    if (r.soft > r.hard) {
      return f.error(at, "soft limit " + std::to_string(r.soft) + " is above the hard limit " + std::to_string(r.hard));
    }
    out.rlimits.push_back(std::move(r));
  }
  return {};
}

edgeward::Status read_capabilities(const Fields& f, const json& p, ProcessFields& out) {
  const json* c = Fields::member(p, "capabilities");
  if (!c) return {};
  if (!c->is_object()) return f.error("process.capabilities", std::string("expected an object, got ") + c->type_name());
  ProcessFields::Capabilities caps;
  const std::pair<const char*, std::vector<std::string>*> sets[] = {{"bounding", &caps.bounding},
                                                                    {"effective", &caps.effective},
                                                                    {"inheritable", &caps.inheritable},
                                                                    {"permitted", &caps.permitted},
                                                                    {"ambient", &caps.ambient}};
  for (const auto& [name, names] : sets) {
    const std::string path = std::string("process.capabilities.") + name;
    const json* a = Fields::member(*c, name);
    if (!a) continue;
    if (!a->is_array()) return f.error(path, std::string("expected an array of names, got ") + a->type_name());
    for (size_t i = 0; i < a->size(); ++i) {
      const std::string at = path + "[" + std::to_string(i) + "]";
      if (!(*a)[i].is_string()) return f.error(at, std::string("expected a capability name, got ") + (*a)[i].type_name());
      const std::string cap = (*a)[i].get<std::string>();
      if (!sandbox::find_capability(cap)) {
        return f.error(at, "unknown capability \"" + cap + "\" (names as in capabilities(7), e.g. \"CAP_CHOWN\")");
      }
      names->push_back(cap);
    }
  }
  out.capabilities = std::move(caps);
  return {};
}

edgeward::Status read_console_size(const Fields& f, const json& p, ProcessFields& out) {
  const json* c = Fields::member(p, "consoleSize");
  if (!c) return {};
  if (!c->is_object()) return f.error("process.consoleSize", std::string("expected an object, got ") + c->type_name());
  ProcessFields::ConsoleSize size;
  for (const char* key : {"height", "width"}) {
    const json* v = Fields::member(*c, key);
    if (!v) return f.error(std::string("process.consoleSize.") + key, "missing");
    EW_ASSIGN(int64_t n, f.integer(*v, std::string("process.consoleSize.") + key, 0, std::numeric_limits<uint16_t>::max()));
    (std::string(key) == "height" ? size.height : size.width) = static_cast<uint16_t>(n);
  }
  out.console_size = size;
  return {};
}

}  // namespace

edgeward::Status read_process_fields(const json& p, const std::string& source, ProcessFields& out) {
  const Fields f(source);
  EW_TRY(read_rlimits(f, p, out));
  EW_TRY(read_capabilities(f, p, out));
  EW_TRY(read_console_size(f, p, out));
  if (const json* v = Fields::member(p, "noNewPrivileges")) {
    if (!v->is_boolean()) return f.error("process.noNewPrivileges", std::string("expected true or false, got ") + v->type_name());
    out.no_new_privileges = v->get<bool>();
  }
  if (const json* v = Fields::member(p, "oomScoreAdj")) {
    EW_ASSIGN(int64_t n, f.integer(*v, "process.oomScoreAdj", -1000, 1000));
    out.oom_score_adj = static_cast<int>(n);
  }
  const json* user = Fields::member(p, "user");
  if (const json* v = user && user->is_object() ? Fields::member(*user, "umask") : nullptr) {
    EW_ASSIGN(int64_t n, f.integer(*v, "process.user.umask", 0, 0777));
    out.umask = static_cast<uint32_t>(n);
  }
  return {};
}

}  // namespace edgeward::oci
