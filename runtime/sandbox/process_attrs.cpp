#include "runtime/sandbox/process_attrs.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "common/errno_error.h"
#include "common/unique_fd.h"

namespace edgeward::sandbox {

edgeward::Status apply_oom_score_adj(pid_t pid, const ProcessAttrs& p) {
  if (!p.oom_score_adj) return {};
  const std::string path = "/proc/" + std::to_string(pid) + "/oom_score_adj";
  const std::string value = std::to_string(*p.oom_score_adj);
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid() || write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
    const int err = errno;
    return errno_error("process.oomScoreAdj " + value + ": write " + path +
                           (err == EACCES || err == EPERM ? " (lowering it needs root)" : ""),
                       err);
  }
  return {};
}

}  // namespace edgeward::sandbox
