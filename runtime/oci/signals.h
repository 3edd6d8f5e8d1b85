// Signal names for `edgeward kill ID [SIGNAL]`: "TERM", "SIGTERM", "term" or "15".
#pragma once

#include <string_view>

#include "common/result.h"

namespace edgeward::oci {

Result<int> parse_signal(std::string_view text);

}  // namespace edgeward::oci
