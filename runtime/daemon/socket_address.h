// The daemon's API socket address, for the daemon (bind) and the CLI (connect) alike.
#pragma once

#include <sys/un.h>

#include <string>

#include "common/result.h"

namespace edgeward::daemon {

// `path` as a unix socket address; a path longer than sun_path holds is an error that names the
// path, its length and the limit, and how to pick another (--socket or EDGEWARD_SOCKET).
Result<sockaddr_un> socket_address(const std::string& path);

}  // namespace edgeward::daemon
