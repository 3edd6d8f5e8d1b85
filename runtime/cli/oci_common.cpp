#include "runtime/cli/oci_common.h"

#include <algorithm>
#include <climits>

#include <unistd.h>

#include "common/text/writer.h"
#include "runtime/oci/console.h"
#include "runtime/oci/global_options.h"
#include "runtime/oci/process_policy.h"

namespace edgeward::cli {

std::optional<ParsedArgs> parse_oci(const ArgParser& parser, Args args, size_t max_positional, int& code) {
  auto parsed = parser.parse(args);
  if (!parsed) {
    code = oci::report_oci_error(parsed.error());
    return std::nullopt;
  }
  if (parsed->flag("help")) {
    text::out() << parser.help();
    code = kExitOk;
    return std::nullopt;
  }
  const size_t n = parsed->positional().size();
  if (n < 1 || n > max_positional) {
    code = oci::report_oci_error(Error::invalid("expected a container ID (see --help)"));
    return std::nullopt;
  }
  if (oci::global_options().debug) {
    std::string line = "arguments:";
    for (const auto& a : args) line += " " + a;
    oci::log_debug(line + " (root " + oci::global_options().root + ")");
  }
  return std::move(parsed).value();
}

Result<runtime::ContainerRoot> open_root() {
  std::string root = oci::global_options().root;
  if (!root.empty() && root[0] != '/') {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return Error::io("cannot resolve the relative --root " + root);
    root = std::string(cwd) + "/" + root;
  }
  EW_ASSIGN(runtime::ContainerRoot r, runtime::ContainerRoot::open(root));
  r.set_warning_sink(oci::log_warning);  // failed poststart/poststop hooks
  return r;
}

edgeward::Status apply_console_size(int pty, const oci::ProcessFields& f) {
  return f.console_size ? oci::set_console_size(pty, f.console_size->height, f.console_size->width) : edgeward::Status{};
}

void warn_and_fit_process(const oci::ProcessFields& f, sandbox::ProcessAttrs& attrs) {
  for (const auto& w : oci::process_warnings(f)) oci::log_warning(w);
  for (const auto& w : oci::fit_rlimits_to_caller(attrs)) oci::log_warning(w);
}

std::vector<std::string> runc_style_args(Args args, Aliases aliases, std::initializer_list<std::string_view> value_options) {
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    for (const auto& [short_name, long_name] : aliases) {
      if (a == short_name) a = std::string(long_name);
    }
    if (a.empty() || a[0] != '-' || a == "-") {  // the ID: everything after it is positional
      out.push_back(a);
      out.push_back("--");
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    out.push_back(a);
    const bool takes_value = a.rfind("--", 0) == 0 && a.find('=') == std::string::npos &&
                             std::find(value_options.begin(), value_options.end(), std::string_view(a).substr(2)) != value_options.end();
    if (takes_value && i + 1 < args.size()) out.push_back(args[++i]);
  }
  return out;
}

int oci_done(const edgeward::Status& s) { return s ? kExitOk : oci::report_oci_error(s.error()); }

}  // namespace edgeward::cli
