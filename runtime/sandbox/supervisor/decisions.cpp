#include "runtime/sandbox/supervisor/decisions.h"

#include <vector>

#include "runtime/sandbox/supervisor/decide_path.h"
#include "runtime/sandbox/supervisor/handler_table.h"

namespace edgeward::sandbox {

std::span<const DecisionEntry> decisions() {
  static const std::vector<DecisionEntry> all =
      join_tables<DecisionEntry>(path_calls::entries(), other_calls::entries(), socket_calls::entries());
  return all;
}

bool has_decision(std::string_view name) { return has_entry(decisions(), name); }

}  // namespace edgeward::sandbox
