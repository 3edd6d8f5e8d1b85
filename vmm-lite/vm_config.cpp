#include "vmm-lite/vm_config.h"

#include "common/units.h"
#include "vmm-lite/arch/arch.h"

namespace edgeward::vmm {

Result<DiskConfig> parse_disk_spec(std::string_view spec) {
  DiskConfig d;
  std::string_view path = spec;
  if (const size_t colon = spec.rfind(':'); colon != std::string_view::npos) {
    const std::string_view mode = spec.substr(colon + 1);
    if (mode == "ro" || mode == "rw") {
      d.read_only = mode == "ro";
      path = spec.substr(0, colon);
    }
  }
  if (path.empty()) return Error::invalid("--disk '" + std::string(spec) + "': no path (expected PATH[:ro])");
  d.path = path;
  return d;
}

Result<std::string> parse_net_spec(std::string_view spec) {
  constexpr std::string_view kTap = "tap:";
  if (!spec.starts_with(kTap) || spec.size() == kTap.size()) {
    return Error::invalid("--net '" + std::string(spec) + "': expected tap:NAME (a host TAP interface)");
  }
  return std::string(spec.substr(kTap.size()));
}

Status validate(const VmConfig& c) {
  if (c.kernel.empty()) return Error::invalid("--kernel PATH is required");
  if (c.vcpus < 1 || c.vcpus > kMaxVcpus) {
    return Error::invalid("--vcpus " + std::to_string(c.vcpus) + " is out of range [1, " + std::to_string(kMaxVcpus) + "]");
  }
  if (c.mem_bytes < arch::min_memory() || c.mem_bytes > kMaxMemBytes) {
    return Error::invalid("--mem " + format_size(c.mem_bytes) + " is out of range [" + format_size(arch::min_memory()) +
                          ", " + format_size(kMaxMemBytes) + "]");
  }
  if (c.mem_bytes % 4096) return Error::invalid("--mem must be a multiple of 4 KiB");
  return {};
}

}  // namespace edgeward::vmm
