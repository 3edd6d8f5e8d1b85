// Kubernetes manifest documents: YAML (libyaml) or JSON (nlohmann-json) text turned into one
// JSON tree, with the limits hostile input needs. Syntax only: what the fields mean is
// pod_parser.h's job, whether a pod may run here is admission.h's.
//
// YAML is resolved the way Kubernetes' own decoder (YAML 1.1, then JSON) does: plain `true`,
// `yes`, `on` are booleans, `3` is a number, `~` is null, quoted scalars are strings. Aliases
// (`*name`) are refused (no "billion laughs"), and so are duplicate keys, more than one
// document, non-scalar keys and nesting deeper than kMaxManifestDepth. JSON goes through
// nlohmann's own parser unchanged (it does not recurse; a repeated key keeps its last value).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace edgeward::k8s {

// Plain nlohmann::json (keys sorted): the same instantiation the OCI and daemon code use.
using Json = nlohmann::json;

constexpr size_t kMaxManifestBytes = 1024 * 1024;  // the API server's request limit is ~1.5 MiB
constexpr size_t kMaxManifestDepth = 64;

enum class ManifestFormat { kAuto, kYaml, kJson };

// kAuto: JSON when the first non-blank character is '{', else YAML. `source` names the input in
// errors ("pod.yaml:12:3: ...").
Result<Json> parse_manifest(std::string_view text, std::string_view source,
                            ManifestFormat format = ManifestFormat::kAuto);

// kInvalidInput when `size` is over kMaxManifestBytes.
Status check_manifest_size(size_t size, std::string_view source);

// YAML alone (also used for the RuntimeClass and other deploy/k8s files in tests).
Result<Json> parse_yaml(std::string_view text, std::string_view source);

// Reads a file (at most kMaxManifestBytes) and parses it; the format follows the extension
// (.json, .yaml/.yml), else kAuto.
Result<Json> load_manifest_file(const std::string& path);

}  // namespace edgeward::k8s
