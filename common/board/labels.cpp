#include "common/board/labels.h"

#include <cctype>

namespace edgeward::board {
namespace {

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// A "name" segment: at most 63 chars, [A-Za-z0-9._-], starting and ending alphanumeric.
std::string name_problem(std::string_view s, std::string_view what, bool allow_empty) {
  if (s.empty()) return allow_empty ? "" : std::string(what) + " is empty";
  if (s.size() > 63) return std::string(what) + " is longer than 63 characters";
  if (!alnum(s.front()) || !alnum(s.back())) {
    return std::string(what) + " must start and end with a letter or digit";
  }
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') {
      return std::string(what) + " has the character '" + std::string(1, c) +
             "' (allowed: letters, digits, '-', '_', '.')";
    }
  }
  return "";
}

// A DNS subdomain prefix: at most 253 chars, lowercase [a-z0-9.-] labels.
std::string prefix_problem(std::string_view s) {
  if (s.empty() || s.size() > 253) return "prefix must be 1 to 253 characters";
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return "prefix has the character '" + std::string(1, c) + "' (allowed: a-z, 0-9, '-', '.')";
  }
  if (!alnum(s.front()) || !alnum(s.back())) return "prefix must start and end with a letter or digit";
  return "";
}

}  // namespace

std::string label_key_problem(std::string_view key) {
  const size_t slash = key.find('/');
  if (slash == std::string_view::npos) return name_problem(key, "label name", false);
  if (key.find('/', slash + 1) != std::string_view::npos) return "label key has more than one '/'";
  if (auto p = prefix_problem(key.substr(0, slash)); !p.empty()) return p;
  return name_problem(key.substr(slash + 1), "label name", false);
}

std::string label_value_problem(std::string_view value) {
  return name_problem(value, "label value", true);
}

}  // namespace edgeward::board
