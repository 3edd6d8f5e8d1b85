#include "runtime/oci/process_policy.h"

#include <linux/capability.h>
#include <algorithm>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace edgeward::oci {
namespace {

std::string offered() {
  std::string out;
  for (const auto& c : sandbox::kCapabilities) {
    if (c.refusal.empty()) out += (out.empty() ? "" : ", ") + std::string(c.name);
  }
  return out;
}

// One set's names as a mask; a refused capability is an error naming its path.
Result<uint64_t> mask_of(const std::vector<std::string>& names, const std::string& set) {
  uint64_t mask = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const auto cap = sandbox::find_capability(names[i]);
    const std::string path = "process.capabilities." + set + "[" + std::to_string(i) + "]";
    if (!cap) return Error::invalid(path + ": unknown capability \"" + names[i] + "\"");
    if (!cap->refusal.empty()) {
      return Error::unsupported(path + ": " + names[i] + " is refused by the sandbox: it " + std::string(cap->refusal) +
                                ". Remove it; the sandbox can give " + offered());
    }
    mask |= 1ull << cap->number;
  }
  return mask;
}

// The first capability of `mask` outside `allowed`, by name.
std::string first_outside(uint64_t mask, uint64_t allowed) {
  for (const auto& c : sandbox::kCapabilities) {
    if ((mask & ~allowed) & (1ull << c.number)) return std::string(c.name);
  }
  return "";
}

Result<sandbox::CapSets> cap_sets(const ProcessFields::Capabilities& c) {
  sandbox::CapSets s;
  EW_ASSIGN(s.bounding, mask_of(c.bounding, "bounding"));
  EW_ASSIGN(s.effective, mask_of(c.effective, "effective"));
  EW_ASSIGN(s.inheritable, mask_of(c.inheritable, "inheritable"));
  EW_ASSIGN(s.permitted, mask_of(c.permitted, "permitted"));
  EW_ASSIGN(s.ambient, mask_of(c.ambient, "ambient"));
  if (auto n = first_outside(s.effective, s.permitted); !n.empty()) {
    return Error::invalid("process.capabilities.effective: " + n + " is not in permitted; an effective capability must be permitted");
  }
  if (auto n = first_outside(s.inheritable, s.bounding); !n.empty()) {
    return Error::invalid("process.capabilities.inheritable: " + n + " is not in bounding; add it there or remove it");
  }
  // As runc: an ambient capability the kernel cannot raise (not both permitted and inheritable;
  // runc's own `runc spec` lists CAP_KILL ambient without inheritable) is left out with a
  // warning (process_warnings), not refused.
  s.ambient &= s.permitted & s.inheritable;
  return s;
}

}  // namespace

Result<sandbox::ProcessAttrs> process_attrs(const ProcessFields& f) {
  sandbox::ProcessAttrs p;
  for (const auto& r : f.rlimits) {
    const auto resource = sandbox::rlimit_resource(r.type);
    if (!resource) return Error::invalid("process.rlimits: unknown resource \"" + r.type + "\"");
    p.rlimits.push_back({*resource, r.soft, r.hard});
  }
  p.umask = f.umask;
  p.oom_score_adj = f.oom_score_adj;
  p.no_new_privs = f.no_new_privileges.value_or(false);  // absent: false, as runc
  if (f.capabilities) {
    EW_ASSIGN(p.capabilities, cap_sets(*f.capabilities));
  }
  return p;
}

std::vector<std::string> process_warnings(const ProcessFields& f) {
  std::vector<std::string> out;
  if (f.capabilities) {
    auto ambient = mask_of(f.capabilities->ambient, "ambient");
    auto permitted = mask_of(f.capabilities->permitted, "permitted");
    auto inheritable = mask_of(f.capabilities->inheritable, "inheritable");
    if (ambient && permitted && inheritable) {
      for (const auto& c : sandbox::kCapabilities) {
        if ((*ambient & ~(*permitted & *inheritable)) & (1ull << c.number)) {
          out.push_back("process.capabilities.ambient: " + std::string(c.name) +
                        " is not both permitted and inheritable, so it is not raised (as runc)");
        }
      }
    }
  }
  return out;
}

std::vector<std::string> fit_rlimits(sandbox::ProcessAttrs& p, bool can_raise, uint64_t (*own_hard)(int resource)) {
  std::vector<std::string> out;
  if (can_raise) return out;
  for (auto& r : p.rlimits) {
    const uint64_t own = own_hard(r.resource);
    if (r.hard <= own) continue;
    out.push_back("process.rlimits: " + std::string(sandbox::rlimit_name(r.resource)) + " hard limit " +
                  std::to_string(r.hard) + " is above edgeward's own (" + std::to_string(own) +
                  ") and edgeward lacks CAP_SYS_RESOURCE to raise it: lowered to " + std::to_string(own));
    r.hard = own;
    r.soft = std::min(r.soft, own);
  }
  return out;
}

std::vector<std::string> fit_rlimits_to_caller(sandbox::ProcessAttrs& p) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  const bool can_raise = syscall(SYS_capget, &hdr, data) == 0 && (data[0].effective & (1u << CAP_SYS_RESOURCE)) != 0;
  return fit_rlimits(p, can_raise, [](int resource) -> uint64_t {
    rlimit own{};
    return getrlimit(static_cast<__rlimit_resource>(resource), &own) == 0 ? own.rlim_max : 0;
  });
}

}  // namespace edgeward::oci
