#include "runtime/k8s/json_fields.h"

namespace edgeward::k8s {

std::string describe(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return std::string("the boolean ") + (v.get<bool>() ? "true" : "false");
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "the number " + v.dump();
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "a list";
    case Json::value_t::object: return "a mapping";
    default: return "an unsupported value";
  }
}

std::string field_path(const std::string& parent, std::string_view field) {
  return parent.empty() ? std::string(field) : parent + "." + std::string(field);
}

std::string entry_path(const std::string& parent, std::string_view key) {
  return parent + "[" + Json(std::string(key)).dump() + "]";
}

std::string index_path(const std::string& parent, size_t index) { return parent + "[" + std::to_string(index) + "]"; }

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Status expect_object(const Json& v, const std::string& path) {
  if (v.is_object()) return {};
  return Error::invalid(path + ": must be a mapping, got " + describe(v));
}

Result<std::string> read_string(const Json& v, const std::string& path) {
  if (v.is_string()) return v.get<std::string>();
  std::string hint;
  if (v.is_boolean() || v.is_number()) hint = " (quote it: \"" + v.dump() + "\")";
  return Error::invalid(path + ": value must be a string, got " + describe(v) + hint);
}

Result<bool> read_bool(const Json& v, const std::string& path) {
  if (v.is_boolean()) return v.get<bool>();
  return Error::invalid(path + ": value must be true or false, got " + describe(v));
}

Status expect_list(const Json& v, const std::string& path, size_t max_items) {
  if (!v.is_array()) return Error::invalid(path + ": must be a list, got " + describe(v));
  if (v.size() > max_items) {
    return Error::invalid(path + ": has " + std::to_string(v.size()) + " items, more than the limit of " +
                          std::to_string(max_items));
  }
  return {};
}

Result<std::vector<std::string>> read_string_list(const Json& v, const std::string& path, size_t max_items) {
  EW_TRY(expect_list(v, path, max_items));
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    EW_ASSIGN(auto s, read_string(v[i], index_path(path, i)));
    out.push_back(std::move(s));
  }
  return out;
}

Result<StringPairs> read_string_map(const Json& v, const std::string& path, size_t max_items) {
  EW_TRY(expect_object(v, path));
  if (v.size() > max_items) {
    return Error::invalid(path + ": has " + std::to_string(v.size()) + " entries, more than the limit of " +
                          std::to_string(max_items));
  }
  StringPairs out;
  for (const auto& [k, value] : v.items()) {
    EW_ASSIGN(auto s, read_string(value, entry_path(path, k)));
    out.emplace_back(k, std::move(s));
  }
  return out;
}

}  // namespace edgeward::k8s
