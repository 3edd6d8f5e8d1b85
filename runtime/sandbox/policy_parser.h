// Sandbox policy XML parser (tinyxml2). Hostile input is expected (policies will ship inside
// workload images): size is capped, every attribute is checked, unknown elements are refused,
// every rule must give its reason. Errors name the source, the line and what to fix.
//
//   <sandbox-policy name="web" schema="1" extends="default">   (extends is optional)
//     <network allowed="false" reason="..."/>                    (optional, default: not allowed)
//     <path pattern="/srv" access="read|write|exec|deny" reason="..."/>
//     <syscall name="openat" action="allow|trace|deny|kill" errno="EPERM" reason="..."/>
//   </sandbox-policy>
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/sandbox/policy.h"

namespace edgeward::sandbox {

constexpr size_t kMaxPolicyBytes = 256 * 1024;
constexpr size_t kMaxPolicyRules = 4096;

struct ParsedPolicy {
  Policy policy;
  std::string extends;  // "" or "default"
};

Result<ParsedPolicy> parse_policy_xml(std::string_view xml, std::string_view source);

// Errno names accepted in errno="..." (also plain numbers 1..4095).
Result<int> parse_errno(std::string_view text);
std::string errno_name(int e);

}  // namespace edgeward::sandbox
