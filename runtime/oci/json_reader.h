// Typed access to the members of a config.json subtree with the JSON path in every error
// ("config.json: hooks.poststop[0].path: expected a string, got number"), for the parsers of
// whole sections (hooks_parser.cpp, seccomp_parser.cpp). Header-only, nlohmann.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace edgeward::oci {

class JsonReader {
 public:
  using json = nlohmann::ordered_json;
  explicit JsonReader(std::string source) : source_(std::move(source)) {}

  Error error(const std::string& path, const std::string& what) const {
    return Error::invalid(source_ + ": " + path + ": " + what);
  }
  Error type_error(const std::string& path, const char* expected, const json& v) const {
    return error(path, std::string("expected ") + expected + ", got " + v.type_name());
  }
  // The member `key` of `j`, or nullptr when absent or null.
  static const json* member(const json& j, const char* key) {
    auto it = j.find(key);
    return it == j.end() || it->is_null() ? nullptr : &*it;
  }

  // A string without NUL bytes (execve and the syscall resolver would cut it there).
  edgeward::Status text(const json& v, const std::string& path, std::string& out) const {
    if (!v.is_string()) return type_error(path, "a string", v);
    out = v.get<std::string>();
    if (out.find('\0') != std::string::npos) return error(path, "contains a NUL byte");
    return {};
  }
  // The array of strings `key` (absent: nothing added), at most `max` of them.
  edgeward::Status texts(const json& j, const char* key, const std::string& path, std::vector<std::string>& out,
                         size_t max = 4096) const {
    const json* a = member(j, key);
    if (!a) return {};
    if (!a->is_array()) return type_error(path, "an array of strings", *a);
    if (a->size() > max) return error(path, "more than " + std::to_string(max) + " entries");
    for (size_t i = 0; i < a->size(); ++i) {
      out.emplace_back();
      EW_TRY(text((*a)[i], path + "[" + std::to_string(i) + "]", out.back()));
    }
    return {};
  }
  // An unsigned integer in lo .. hi.
  edgeward::Status uint(const json& v, const std::string& path, uint64_t lo, uint64_t hi, uint64_t& out) const {
    if (!v.is_number_integer()) return type_error(path, "an integer", v);
    if (!v.is_number_unsigned() && v.get<int64_t>() < 0) return error(path, "must not be negative, got " + v.dump());
    out = v.get<uint64_t>();
    if (out < lo || out > hi) return error(path, "must be " + std::to_string(lo) + " .. " + std::to_string(hi) + ", got " + v.dump());
    return {};
  }
  // fn(element, "path[i]") for each element of the array member `key` (absent: none), at most `max`.
  template <typename F>
  edgeward::Status each(const json& j, const char* key, const std::string& path, size_t max, F fn) const {
    const json* a = member(j, key);
    if (!a) return {};
    if (!a->is_array()) return type_error(path, "an array", *a);
    if (a->size() > max) return error(path, "more than " + std::to_string(max) + " entries");
    for (size_t i = 0; i < a->size(); ++i) EW_TRY(fn((*a)[i], path + "[" + std::to_string(i) + "]"));
    return {};
  }

 private:
  std::string source_;
};

}  // namespace edgeward::oci
