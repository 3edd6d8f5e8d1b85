// Typed, bounded field access for untrusted JSON (see fields.h).
#include "ota/tuf/fields.h"

#include "ota/tuf/error.h"

namespace edgeward::ota::tuf::fields {
namespace {

std::string at(std::string_view where, std::string_view name) { return std::string(where) + "." + std::string(name); }

Result<const nlohmann::json*> find(const nlohmann::json& o, std::string_view name, std::string_view where) {
  if (!o.is_object()) return malformed(where, "must be a JSON object");
  auto it = o.find(std::string(name));
  if (it == o.end()) return malformed(at(where, name), "is missing");
  return &*it;
}

bool lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<const nlohmann::json*> object(const nlohmann::json& o, std::string_view name, std::string_view where,
                                     size_t max_entries) {
  EW_ASSIGN(const nlohmann::json* v, find(o, name, where));
  if (!v->is_object()) return malformed(at(where, name), "must be an object");
  if (v->size() > max_entries) return malformed(at(where, name), "has more than " + std::to_string(max_entries) + " entries");
  return v;
}

Result<const nlohmann::json*> array(const nlohmann::json& o, std::string_view name, std::string_view where) {
  EW_ASSIGN(const nlohmann::json* v, find(o, name, where));
  if (!v->is_array()) return malformed(at(where, name), "must be an array");
  return v;
}

Result<std::string> string(const nlohmann::json& o, std::string_view name, std::string_view where, size_t max_bytes) {
  EW_ASSIGN(const nlohmann::json* v, find(o, name, where));
  if (!v->is_string()) return malformed(at(where, name), "must be a string");
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_bytes) return malformed(at(where, name), "is longer than " + std::to_string(max_bytes) + " bytes");
  return s;
}

Result<uint64_t> uint(const nlohmann::json& o, std::string_view name, std::string_view where, uint64_t min,
                      uint64_t max) {
  EW_ASSIGN(const nlohmann::json* v, find(o, name, where));
  uint64_t n = 0;
  if (v->is_number_unsigned()) {
    n = v->get<uint64_t>();
  } else if (v->is_number_integer() && v->get<int64_t>() >= 0) {
    n = static_cast<uint64_t>(v->get<int64_t>());
  } else {
    return malformed(at(where, name), "must be a non-negative integer");
  }
  if (n < min || n > max) {
    return malformed(at(where, name), "is " + std::to_string(n) + ", outside [" + std::to_string(min) + ", " +
                                          std::to_string(max) + "]");
  }
  return n;
}

Result<bool> boolean(const nlohmann::json& o, std::string_view name, std::string_view where) {
  EW_ASSIGN(const nlohmann::json* v, find(o, name, where));
  if (!v->is_boolean()) return malformed(at(where, name), "must be true or false");
  return v->get<bool>();
}

Result<std::map<std::string, std::string>> hashes(const nlohmann::json& o, std::string_view name,
                                                  std::string_view where) {
  EW_ASSIGN(const nlohmann::json* h, object(o, name, where));
  const std::string w = at(where, name);
  if (h->empty() || h->size() > 8) return malformed(w, "must have 1 to 8 entries");
  std::map<std::string, std::string> out;
  for (const auto& [algo, value] : h->items()) {
    if (algo.empty() || algo.size() > 32 || algo.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") !=
                                                std::string::npos) {
      return malformed(w, "has a bad algorithm name");
    }
    if (!value.is_string()) return malformed(w + "." + algo, "must be a hex string");
    const auto& hex = value.get_ref<const std::string&>();
    if (hex.size() < 16 || hex.size() > 128 || hex.size() % 2 != 0 || !lower_hex(hex)) {
      return malformed(w + "." + algo, "must be 16 to 128 lower-case hex digits");
    }
    if (algo == "sha256" && hex.size() != 64) return malformed(w + ".sha256", "must be 64 hex digits");
    out.emplace(algo, hex);
  }
  return out;
}

}  // namespace edgeward::ota::tuf::fields
