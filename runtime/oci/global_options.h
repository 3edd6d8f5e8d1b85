// The OCI runtime's global flags, given before the command as podman (conmon) and containerd
// (go-runc) pass them: `edgeward --root DIR --log FILE --log-format json create ...`.
// Errors of the OCI commands go to stderr and, with --log, to that file in the requested format,
// which is where podman and containerd read a failed runtime call's reason from.
#pragma once

#include <span>
#include <string>

#include "common/result.h"

namespace edgeward::oci {

constexpr const char* kDefaultRoot = "/run/edgeward/oci";

struct GlobalOptions {
  std::string root = kDefaultRoot;
  std::string log;                 // empty: stderr only
  bool log_json = false;           // --log-format json (default text)
  bool debug = false;
  bool systemd_cgroup = false;     // accepted; the sandbox places its own cgroup (docs/oci.md)
};

// The options of this process (set once by take_global_flags, read by the OCI commands).
GlobalOptions& global_options();

// Consumes the leading global flags of `args` (--root, --log, --log-format, --systemd-cgroup,
// --debug, each also as --name=value); returns how many arguments they took.
Result<size_t> take_global_flags(std::span<const std::string> args);

// Writes "edgeward: error: MSG" to stderr and the --log file; returns the CLI exit code.
int report_oci_error(const Error& e);
// A warning (something accepted but not given as asked, a failed poststart or poststop hook):
// "edgeward: warning: MSG" to stderr and, with --log, a line at level "warning" there.
void log_warning(const std::string& msg);
// With --debug, a debug line to the --log file (or stderr).
void log_debug(const std::string& msg);

}  // namespace edgeward::oci
