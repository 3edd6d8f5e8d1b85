// What `edgeward vm run` asks for: kernel, initrd, command line, memory, vCPUs, disks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace edgeward::vmm {

struct DiskConfig {
  std::string path;
  bool read_only = false;
};

struct VmConfig {
  std::string kernel;
  std::string initrd;   // empty: none
  std::string cmdline;  // appended to the arch's defaults
  uint64_t mem_bytes = 256ull << 20;
  uint32_t vcpus = 1;
  std::vector<DiskConfig> disks;
  std::string agent_socket;  // unix socket a guest agent's virtio-console is connected to
  std::string net_tap;       // host TAP interface behind a virtio-net device, empty: no network
};

constexpr uint32_t kMaxVcpus = 32;
constexpr uint64_t kMaxMemBytes = 64ull << 30;

// "PATH" or "PATH:ro" / "PATH:rw".
Result<DiskConfig> parse_disk_spec(std::string_view spec);

// "tap:NAME": the TAP interface's name.
Result<std::string> parse_net_spec(std::string_view spec);

// Checks ranges (vCPUs, memory) with messages naming the option.
Status validate(const VmConfig& c);

}  // namespace edgeward::vmm
