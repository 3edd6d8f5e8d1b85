// Pod manifest parser: YAML or JSON text (manifest.h) -> Pod (pod.h), or an Error naming the
// input and the field path, e.g.
//   pod.yaml: spec.nodeSelector["kubernetes.io/arch"]: value must be a string, got the boolean true
// Syntax and types only; whether the pod may run on this node is admission.h's decision.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/k8s/manifest.h"
#include "runtime/k8s/pod.h"

namespace edgeward::k8s {

constexpr size_t kMaxContainers = 16;
constexpr size_t kMaxListItems = 256;  // env entries, args, selector entries, values, ...

// Decodes an already-parsed manifest document.
Result<Pod> decode_pod(const Json& doc, std::string_view source);

// Text -> Pod (format as in parse_manifest).
Result<Pod> parse_pod(std::string_view text, std::string_view source, ManifestFormat format = ManifestFormat::kAuto);

// File -> Pod (load_manifest_file, then decode_pod).
Result<Pod> load_pod_file(const std::string& path);

}  // namespace edgeward::k8s
