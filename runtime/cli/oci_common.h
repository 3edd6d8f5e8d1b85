// What every OCI runtime subcommand shares (runtime/cli/oci_*.cpp): argument parsing whose usage
// errors also reach the --log file, the container root from --root, and the exit code of a result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/cli/args.h"
#include "runtime/cli/command.h"
#include "runtime/container/container.h"
#include "runtime/oci/process_fields.h"

namespace edgeward::cli {

// Like parse_or_exit, but usage errors also reach the --log file, and 1 to `max_positional`
// positional arguments (the first is the container ID) are required.
std::optional<ParsedArgs> parse_oci(const ArgParser& parser, Args args, size_t max_positional, int& code);

// --root as given, a relative one against the working directory (as runc).
Result<runtime::ContainerRoot> open_root();

// Arguments as runc (urfave/cli) reads them, made ready for ArgParser: one-letter aliases become
// the long options ("-f" -> "--format"), and options end at the first positional argument (the
// container ID): a "--" is inserted after it, so `exec ID sh -c X` passes "-c" to the command.
// `value_options` are the long options that take a value (their value is not the ID).
using Aliases = std::initializer_list<std::pair<std::string_view, std::string_view>>;
std::vector<std::string> runc_style_args(Args args, Aliases aliases, std::initializer_list<std::string_view> value_options);

// The process's consoleSize on the pty sent to --console-socket (nothing when it gives none).
edgeward::Status apply_console_size(int pty, const oci::ProcessFields& f);

// Logs (stderr and --log) what the process fields ask and do not get as asked, and lowers the
// rlimits edgeward cannot raise (oci/process_policy.h), for create and exec alike.
void warn_and_fit_process(const oci::ProcessFields& f, sandbox::ProcessAttrs& attrs);

// kExitOk, or the error reported (stderr and --log) with its exit code.
int oci_done(const edgeward::Status& s);

}  // namespace edgeward::cli
