// Kubernetes label syntax (keys like "edgeward.io/board", values like "rpi4").
// Used for board node labels and, later, for nodeSelector matching.
#pragma once

#include <string>
#include <string_view>

namespace edgeward::board {

// Empty string when the key is valid; otherwise why it is not, for an error message.
std::string label_key_problem(std::string_view key);
std::string label_value_problem(std::string_view value);

}  // namespace edgeward::board
