// OLPC canonical JSON writer (see canonical_json.h for the rules).
#include "ota/tuf/canonical_json.h"

namespace edgeward::ota::tuf {
namespace {

void put_string(const std::string& s, std::string& out) {
  out.push_back('"');
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

Status put(const nlohmann::json& v, int depth, const std::string& where, std::string& out) {
  if (depth > kMaxCanonicalDepth) {
    return Error::invalid("canonical JSON: nesting deeper than " + std::to_string(kMaxCanonicalDepth) + " at '" +
                          where + "'");
  }
  switch (v.type()) {
    case nlohmann::json::value_t::null: out += "null"; return {};
    case nlohmann::json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return {};
    case nlohmann::json::value_t::number_integer: out += std::to_string(v.get<int64_t>()); return {};
    case nlohmann::json::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); return {};
    case nlohmann::json::value_t::string: put_string(v.get_ref<const std::string&>(), out); return {};
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      size_t i = 0;
      for (const auto& e : v) {
        if (i != 0) out.push_back(',');
        EW_TRY(put(e, depth + 1, where + "/" + std::to_string(i), out));
        ++i;
      }
      out.push_back(']');
      return {};
    }
    case nlohmann::json::value_t::object: {
      // nlohmann's default object is a std::map<std::string, ...>: already in byte order, which for
      // UTF-8 is code point order (what Python's sorted() gives).
      out.push_back('{');
      bool first = true;
      for (const auto& [k, e] : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        put_string(k, out);
        out.push_back(':');
        EW_TRY(put(e, depth + 1, where + "/" + k, out));
      }
      out.push_back('}');
      return {};
    }
    case nlohmann::json::value_t::number_float:
      return Error::invalid("canonical JSON: '" + (where.empty() ? "/" : where) +
                            "' is a floating-point number; TUF metadata allows integers only");
    default:
      return Error::invalid("canonical JSON: '" + (where.empty() ? "/" : where) + "' has a type JSON text cannot hold");
  }
}

}  // namespace

Result<std::string> canonical_json(const nlohmann::json& value) {
  std::string out;
  EW_TRY(put(value, 0, "", out));
  return out;
}

}  // namespace edgeward::ota::tuf
