// `update -r FILE` input: an OCI linux.resources object (what containerd's runc shim and runc
// update pass), capped at 64 KiB, every field type checked, errors naming the JSON path. Only
// what `update` can rewrite is accepted (memory.limit, cpu shares/quota/period, pids.limit); any
// other field with a value that asks for a change is an error, never silently ignored. Zero and
// empty values mean "unchanged", as in runc.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/container/container_cgroups.h"

namespace edgeward::oci {

constexpr size_t kMaxResourcesBytes = 64 * 1024;

// `source` names the input in errors ("resources.json", "stdin").
Result<runtime::ResourceUpdate> parse_resources(std::string_view text, const std::string& source);

}  // namespace edgeward::oci
