// --console-socket (runc's protocol): allocate a pty, send its master to the unix socket with
// SCM_RIGHTS (the caller, e.g. conmon or the containerd shim, owns it from then on) and keep the
// slave as the workload's stdin/stdout/stderr.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::oci {

// Returns the pty slave.
Result<UniqueFd> open_console(const std::string& socket_path);

// process.consoleSize: the terminal's rows and columns (TIOCSWINSZ on the pty).
edgeward::Status set_console_size(int pty, uint16_t height, uint16_t width);

}  // namespace edgeward::oci
