// Typed reads from a manifest's JSON tree; every error names the field path
// (spec.containers[0].image, spec.nodeSelector["kubernetes.io/arch"]) and what was found.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/k8s/manifest.h"
#include "runtime/k8s/pod.h"

namespace edgeward::k8s {

// "the boolean true", "the number 3", "null", "a list", "a mapping", "a string".
std::string describe(const Json& v);

// A struct field (spec.containers) and a map entry (spec.nodeSelector["kubernetes.io/arch"]).
std::string field_path(const std::string& parent, std::string_view field);
std::string entry_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, size_t index);

// The member, or nullptr when it is absent or null (Kubernetes treats both as unset).
const Json* member(const Json& object, std::string_view key);

Status expect_object(const Json& v, const std::string& path);
Result<std::string> read_string(const Json& v, const std::string& path);
Result<bool> read_bool(const Json& v, const std::string& path);
// A list of at most `max_items` strings.
Result<std::vector<std::string>> read_string_list(const Json& v, const std::string& path, size_t max_items);
// A mapping of strings to strings (labels, annotations, nodeSelector), at most `max_items` entries.
Result<StringPairs> read_string_map(const Json& v, const std::string& path, size_t max_items);
// A list's items, checked to be a list of at most `max_items`.
Status expect_list(const Json& v, const std::string& path, size_t max_items);

}  // namespace edgeward::k8s
