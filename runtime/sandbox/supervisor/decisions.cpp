#include "runtime/sandbox/supervisor/decisions.h"

#include <vector>

#include "runtime/sandbox/supervisor/decide_path.h"

namespace edgeward::sandbox {

std::span<const DecisionEntry> decisions() {
  static const std::vector<DecisionEntry> all = [] {
    std::vector<DecisionEntry> v;
    for (const auto& e : path_calls::entries()) v.push_back(e);
    for (const auto& e : other_calls::entries()) v.push_back(e);
    for (const auto& e : socket_calls::entries()) v.push_back(e);
    return v;
  }();
  return all;
}

bool has_decision(std::string_view name) {
  for (const auto& e : decisions()) {
    if (e.name == name) return true;
  }
  return false;
}

}  // namespace edgeward::sandbox
