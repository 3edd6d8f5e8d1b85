// Parser of an OCI bundle's config.json (runtime-spec), the fields edgeward honours and nothing
// else: process.args/env/cwd/terminal/user (and process_fields.h), root.path/readonly, hostname, annotations, mounts,
// linux.resources.memory.limit, linux.resources.pids.limit, linux.namespaces and
// linux.uidMappings/gidMappings; linux.maskedPaths, readonlyPaths, devices,
// resources.devices and sysctl (their meaning: linux_fields.h); whole sections have parsers of
// their own: process fields (process_fields.h), hooks (hooks_parser.h), linux.seccomp
// (seccomp_parser.h), more of linux.resources (resources_parser.h). Other fields are not read (see
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
#include "runtime/container/hook_spec.h"
#include "runtime/oci/process_fields.h"
#include "runtime/oci/resources_parser.h"
#include "runtime/sandbox/seccomp_profile.h"

namespace edgeward::oci {

constexpr size_t kMaxConfigBytes = 1u << 20;
constexpr size_t kMaxIdMappings = 340;  // lines the kernel takes in one uid_map / gid_map

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
  bool has_namespaces = false;          // linux.namespaces is present (an absent type: the host's)
  uint32_t uid = 0, gid = 0;            // process.user
  std::vector<uint32_t> additional_gids;
  struct Mount {
    std::string destination, type, source;
    std::vector<std::string> options;
  };
  std::vector<Mount> mounts;
  struct IdMapping {
    uint32_t container_id = 0, host_id = 0, size = 0;
  };
  std::vector<IdMapping> uid_mappings, gid_mappings;  // linux.uidMappings / gidMappings
  std::string cgroups_path;             // linux.cgroupsPath
  std::optional<int64_t> cpu_shares, cpu_quota, cpu_period;  // linux.resources.cpu
  // process.rlimits, user.umask, noNewPrivileges, capabilities, oomScoreAdj, consoleSize
  ProcessFields process_fields;
  // File-system fields (meaning: linux_fields.h): linux.maskedPaths, readonlyPaths, devices,
  // resources.devices and sysctl.
  std::vector<std::string> masked_paths, readonly_paths;
  struct Device {
    std::string path, type;              // type: "c", "u", "b" or "p"
    int64_t major = 0, minor = 0;
    std::optional<uint32_t> file_mode, uid, gid;
  };
  std::vector<Device> devices;
  struct DeviceRule {                    // linux.resources.devices (the devices cgroup's allow-list)
    bool allow = false;
    std::string type = "a";              // "a", "c" or "b"
    std::optional<int64_t> major, minor; // absent: any
    std::string access = "rwm";          // a non-empty subset of "rwm"
  };
  std::vector<DeviceRule> device_rules;
  std::map<std::string, std::string> sysctl;
  runtime::Hooks hooks;                 // hooks (hooks_parser.h)
  std::optional<sandbox::SeccompProfile> seccomp;  // linux.seccomp (seccomp_parser.h)
  OciResourcesExtra resources;          // more of linux.resources (resources_parser.h)
};

// `source` names the input in errors (e.g. the file path).
Result<OciConfig> parse_oci_config(std::string_view text, std::string_view source);

// An OCI Process object alone (`exec --process FILE`): fills args, env, cwd, terminal, user and
// process_fields of the result, with errors naming "process.*" paths.
Result<OciConfig> parse_oci_process(std::string_view text, std::string_view source);

}  // namespace edgeward::oci
