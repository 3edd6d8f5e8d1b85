#include "runtime/oci/bundle.h"

#include <climits>
#include <cstdlib>

#include "common/errno_error.h"
#include "common/units.h"
#include "runtime/container/entry.h"

namespace edgeward::oci {
namespace {

constexpr std::string_view kPrefix = "io.edgeward.";

std::string resolve(const std::string& bundle, const std::string& path) {
  return path.empty() || path[0] == '/' ? path : bundle + "/" + path;
}

Error bad_annotation(const std::string& key, const std::string& what) {
  return Error::invalid("annotations[\"" + key + "\"]: " + what);
}

edgeward::Status apply_vm(const std::map<std::string, std::string>& a, const std::string& bundle,
                          runtime::WorkloadSpec& w) {
  auto get = [&](const char* k) -> std::string {
    auto it = a.find(std::string(kPrefix) + k);
    return it == a.end() ? "" : it->second;
  };
  w.backend = runtime::Backend::kVm;
  w.vm.kernel = resolve(bundle, get("vm.kernel"));
  if (w.vm.kernel.empty()) return bad_annotation("io.edgeward.vm.kernel", "required with io.edgeward.backend=vm");
  w.vm.initrd = resolve(bundle, get("vm.initrd"));
  w.vm.cmdline = get("vm.cmdline");
  w.vm.mem_bytes = w.memory_bytes;
  if (auto m = get("vm.mem"); !m.empty()) {
    auto bytes = parse_size(m);
    if (!bytes) return bad_annotation("io.edgeward.vm.mem", bytes.error().message);
    w.vm.mem_bytes = *bytes;
  }
  if (auto n = get("vm.vcpus"); !n.empty()) {
    auto vcpus = parse_uint(n, 1, vmm::kMaxVcpus, "vcpus");
    if (!vcpus) return bad_annotation("io.edgeward.vm.vcpus", vcpus.error().message);
    w.vm.vcpus = static_cast<uint32_t>(*vcpus);
  }
  return {};
}

}  // namespace

Result<runtime::ContainerSpec> spec_from_bundle(const OciConfig& c, const std::string& bundle_dir,
                                                const std::string& id) {
  static constexpr const char* kKnown[] = {"backend",  "vm.kernel", "vm.initrd",      "vm.cmdline",
                                           "vm.mem",   "vm.vcpus",  "sandbox.policy", "net"};
  for (const auto& [key, value] : c.annotations) {
    if (!key.starts_with(kPrefix)) continue;
    bool known = false;
    for (const char* k : kKnown) known = known || key.substr(kPrefix.size()) == k;
    if (!known) return bad_annotation(key, "unknown edgeward annotation (see docs/oci.md for the list)");
  }
  for (size_t i = 0; i < c.namespaces.size(); ++i) {
    if (!c.namespaces[i].path.empty()) {
      return Error::unsupported("linux.namespaces[" + std::to_string(i) + "].path: joining an existing " +
                                c.namespaces[i].type + " namespace (" + c.namespaces[i].path +
                                ") is not supported: every container gets new namespaces (with podman: --network none)");
    }
  }
  runtime::ContainerSpec s;
  s.id = id;
  s.bundle = bundle_dir;
  s.annotations = c.annotations;
  runtime::WorkloadSpec& w = s.workload;
  w.argv = c.args;
  w.env = c.env;
  w.cwd = c.cwd;
  w.hostname = c.hostname.empty() ? "edgeward" : c.hostname;
  if (c.memory_limit && *c.memory_limit > 0) w.memory_bytes = static_cast<uint64_t>(*c.memory_limit);
  w.pids = c.pids_limit && *c.pids_limit > 0 ? static_cast<uint64_t>(*c.pids_limit) : kDefaultPidsLimit;

  const std::string root = resolve(bundle_dir, c.root_path);
  char real[PATH_MAX];
  if (!realpath(root.c_str(), real)) return errno_error("root.path " + root);
  w.rootfs = real;

  auto ann = [&](const char* k) -> std::string {
    auto it = c.annotations.find(std::string(kPrefix) + k);
    return it == c.annotations.end() ? "" : it->second;
  };
  if (auto p = ann("sandbox.policy"); !p.empty()) w.policy_file = resolve(bundle_dir, p);
  const std::string net = ann("net");
  if (!net.empty() && net != "none" && net != "host") return bad_annotation("io.edgeward.net", "must be none or host, got \"" + net + "\"");
  w.net_host = net == "host";
  const std::string backend = ann("backend");
  if (backend == "vm") {
    EW_TRY(apply_vm(c.annotations, bundle_dir, w));
  } else if (!backend.empty() && backend != "sandbox") {
    return bad_annotation("io.edgeward.backend", "must be sandbox or vm, got \"" + backend + "\"");
  }
  return s;
}

Result<LoadedBundle> load_bundle(const std::string& bundle_dir, const std::string& id) {
  const std::string path = bundle_dir + "/config.json";
  auto text = runtime::read_text(path);
  if (!text) return std::move(text).error().context("the bundle's config.json");
  EW_ASSIGN(OciConfig config, parse_oci_config(*text, path));
  EW_ASSIGN(runtime::ContainerSpec spec, spec_from_bundle(config, bundle_dir, id));
  return LoadedBundle{std::move(config), std::move(spec)};
}

}  // namespace edgeward::oci
