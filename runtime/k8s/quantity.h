// Kubernetes resource quantities ("128Mi", "500m", "1.5", "2e3", "1G"): the grammar of
// k8s.io/apimachinery's resource.Quantity, parsed exactly (no floating point).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace edgeward::k8s {

// The quantity in thousandths of its unit, rounded up (as Kubernetes rounds up to 1m): "500m" -> 500,
// "2" -> 2000, "128Mi" -> 134217728000. Errors (kInvalidInput) name the text and what is wrong:
// empty, a sign, no digits, more than 15 significant digits, an unknown suffix, or a value too large.
Result<int64_t> parse_quantity_milli(std::string_view text);

// Helpers for the two resources edgeward enforces.
inline uint64_t milli_to_units_ceil(int64_t milli) { return static_cast<uint64_t>((milli + 999) / 1000); }

}  // namespace edgeward::k8s
