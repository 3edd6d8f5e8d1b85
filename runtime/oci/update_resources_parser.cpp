#include "runtime/oci/update_resources_parser.h"

#include <nlohmann/json.hpp>

namespace edgeward::oci {
namespace {

using json = nlohmann::ordered_json;

struct Parser {
  const std::string& source;
  Error error(const std::string& path, const std::string& what) const { return Error::invalid(source + ": " + path + ": " + what); }

  // An integer member (absent or null: unset); `min` bounds it from below.
  edgeward::Status integer(const json& obj, const char* key, const std::string& path, int64_t min, std::optional<int64_t>& out) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return {};
    if (!it->is_number_integer()) return error(path, std::string("expected an integer, got ") + it->type_name());
    if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return error(path, "out of range");
    const int64_t v = it->get<int64_t>();
    if (v == 0) return {};  // unchanged (runc)
    if (v < min) return error(path, "must be at least " + std::to_string(min) + ", got " + std::to_string(v));
    out = v;
    return {};
  }
  // Members of `obj` other than `known` must not ask for anything (null, 0, "", [] or {}).
  edgeward::Status only(const json& obj, std::initializer_list<std::string_view> known, const std::string& path) const {
    for (const auto& [key, v] : obj.items()) {
      bool ok = false;
      for (auto k : known) ok = ok || k == key;
      const bool empty = v.is_null() || (v.is_number() && v == 0) || (v.is_string() && v.get<std::string>().empty()) ||
                         (v.is_array() || v.is_object() ? v.empty() : false);
      if (!ok && !empty) {
        return error(path + (path.empty() ? "" : ".") + key,
                     "cannot be updated by edgeward (it updates memory.limit, cpu.shares/quota/period and pids.limit)");
      }
    }
    return {};
  }
  Result<const json*> object(const json& obj, const char* key, const std::string& path) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    if (!it->is_object()) return error(path, std::string("expected an object, got ") + it->type_name());
    return &*it;
  }
};

}  // namespace

Result<runtime::ResourceUpdate> parse_resources(std::string_view text, const std::string& source) {
  if (text.size() > kMaxResourcesBytes) {
    return Error::invalid(source + ": larger than " + std::to_string(kMaxResourcesBytes) + " bytes; not a resources object");
  }
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) return Error::invalid(source + ": (document): not valid JSON");
  const Parser p{source};
  if (!doc.is_object()) return p.error("(document)", std::string("expected an object, got ") + doc.type_name());
  // devices: the device policy is fixed at create; containerd sends its list back unchanged.
  EW_TRY(p.only(doc, {"memory", "cpu", "pids", "devices"}, ""));
  runtime::ResourceUpdate u;
  std::optional<int64_t> v;
  EW_ASSIGN(const json* mem, p.object(doc, "memory", "memory"));
  if (mem) {
    EW_TRY(p.only(*mem, {"limit", "swap"}, "memory"));
    EW_TRY(p.integer(*mem, "limit", "memory.limit", -1, u.memory_limit));
    EW_TRY(p.integer(*mem, "swap", "memory.swap", -1, v));  // runc: swap only with a limit; no swap here
  }
  EW_ASSIGN(const json* cpu, p.object(doc, "cpu", "cpu"));
  if (cpu) {
    EW_TRY(p.only(*cpu, {"shares", "quota", "period"}, "cpu"));
    v.reset();
    EW_TRY(p.integer(*cpu, "shares", "cpu.shares", 2, v));
    if (v) u.cpu_shares = static_cast<uint64_t>(*v);
    EW_TRY(p.integer(*cpu, "quota", "cpu.quota", -1, u.cpu_quota));
    v.reset();
    EW_TRY(p.integer(*cpu, "period", "cpu.period", 1000, v));
    if (v) u.cpu_period = static_cast<uint64_t>(*v);
  }
  EW_ASSIGN(const json* pids, p.object(doc, "pids", "pids"));
  if (pids) {
    EW_TRY(p.only(*pids, {"limit"}, "pids"));
    EW_TRY(p.integer(*pids, "limit", "pids.limit", -1, u.pids_limit));
  }
  if (doc.contains("devices") && !doc["devices"].is_null() && !doc["devices"].is_array()) {
    return p.error("devices", std::string("expected an array, got ") + doc["devices"].type_name());
  }
  return u;
}

}  // namespace edgeward::oci
