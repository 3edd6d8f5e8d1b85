// The built-in default sandbox profile (XML data, a reason beside every rule) and loading of
// policy files, which may extend it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/sandbox/policy.h"

namespace edgeward::sandbox {

std::string_view default_policy_xml();
Result<Policy> default_policy();

// Reads a policy file; a policy with extends="default" is merged over the default profile.
Result<Policy> load_policy_file(const std::string& path);

}  // namespace edgeward::sandbox
