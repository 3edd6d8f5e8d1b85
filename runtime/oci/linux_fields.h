// What config.json's file-system fields mean for a sandbox container (parsed by
// config_parser.h, applied by the sandbox: sandbox/fs_config.h):
//   linux.maskedPaths, linux.readonlyPaths   checked paths (absolute, no ".."), applied as runc does
//   linux.devices                            the host's matching character device nodes, bound in
//   linux.sysctl                             keys of the container's own namespaces only
//   linux.resources.devices                  the devices cgroup's allow-list, enforced on what the
//     sandbox's /dev can hold: the default set is always allowed (runc appends it to every list)
//     and each linux.devices entry must be allowed read and write by the list, else create fails.
//     No other device can be opened (every other mount is nodev), so the list is not written to a
//     devices cgroup.
// Every refusal names the JSON path and happens at create, before anything is made.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/container/container.h"
#include "runtime/oci/config_parser.h"

namespace edgeward::oci {

// Fills w.fs from `c`; w's namespaces (net_host, join_namespaces) must be final.
edgeward::Status apply_linux_fs(const OciConfig& c, runtime::WorkloadSpec& w);

// Whether the allow-list grants every letter of `access` ("rw") on the device, evaluated as the
// devices cgroup does: everything allowed at first, then for each letter the last matching
// rule decides (type "a" matches every device, an absent major/minor any number).
bool device_rules_allow(const std::vector<OciConfig::DeviceRule>& rules, char type, int64_t major, int64_t minor,
                        std::string_view access);

}  // namespace edgeward::oci
