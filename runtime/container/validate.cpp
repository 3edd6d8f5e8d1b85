#include "runtime/container/validate.h"

#include <sys/stat.h>

namespace edgeward::runtime {
namespace {

bool is_dir(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

edgeward::Status validate_workload(const WorkloadSpec& w) {
  if (w.backend == Backend::kVm) {
    if (w.vm.kernel.empty()) return Error::invalid("vm backend: no kernel given");
    if (!is_file(w.vm.kernel)) return Error::not_found("vm backend: kernel " + w.vm.kernel + " is not a file");
    if (!w.vm.initrd.empty() && !is_file(w.vm.initrd)) {
      return Error::not_found("vm backend: initrd " + w.vm.initrd + " is not a file");
    }
    return vmm::validate(w.vm);
  }
  if (w.rootfs.empty() || w.rootfs[0] != '/') return Error::invalid("rootfs must be an absolute path, got \"" + w.rootfs + "\"");
  if (!is_dir(w.rootfs)) return Error::not_found("rootfs " + w.rootfs + " is not a directory");
  if (w.argv.empty() || w.argv[0].empty()) return Error::invalid("no command to run (process args are empty)");
  if (w.cwd.empty() || w.cwd[0] != '/') return Error::invalid("cwd must be an absolute path, got \"" + w.cwd + "\"");
  if (w.memory_bytes < (4u << 20)) return Error::invalid("memory limit below 4 MiB: " + std::to_string(w.memory_bytes));
  if (w.pids == 0) return Error::invalid("pids limit must be at least 1");
  for (const auto& kv : w.env) {
    if (kv.find('=') == std::string::npos) return Error::invalid("environment entry \"" + kv + "\" is not KEY=VALUE");
  }
  return {};
}

}  // namespace edgeward::runtime
