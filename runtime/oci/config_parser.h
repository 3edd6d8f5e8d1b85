// Parser of an OCI bundle's config.json (runtime-spec), the fields edgeward honours and nothing
// else: process.args/env/cwd/terminal, root.path/readonly, hostname, annotations,
// linux.resources.memory.limit, linux.resources.pids.limit and linux.namespaces. Other fields are not read (see
// docs/oci.md for why each is ignored). Input is untrusted: size is capped, every field read is
// type-checked, and errors name the JSON path ("process.args[1]: expected a string, got number").
// What the fields mean for a run (defaults, the bundle-relative root, annotations) is bundle.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace edgeward::oci {

constexpr size_t kMaxConfigBytes = 1u << 20;

struct OciConfig {
  std::string oci_version;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd = "/";
  bool terminal = false;
  std::string root_path;
  bool root_readonly = false;
  std::string hostname;
  std::map<std::string, std::string> annotations;
  std::optional<int64_t> memory_limit;  // bytes; absent or <= 0: no limit given
  std::optional<int64_t> pids_limit;    // absent or <= 0: no limit given
  struct Namespace {
    std::string type;
    std::string path;                   // non-empty: join an existing namespace
  };
  std::vector<Namespace> namespaces;    // linux.namespaces
};

// `source` names the input in errors (e.g. the file path).
Result<OciConfig> parse_oci_config(std::string_view text, std::string_view source);

}  // namespace edgeward::oci
