#include "runtime/oci/global_options.h"

#include <fcntl.h>
#include <unistd.h>

#include "common/text/writer.h"
#include "common/unique_fd.h"
#include "runtime/oci/oci_json.h"

namespace edgeward::oci {
namespace {

void append_log(const std::string& level, const std::string& msg) {
  const GlobalOptions& g = global_options();
  if (g.log.empty()) return;
  UniqueFd fd(open(g.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd.valid()) return;
  const std::string line = log_line(level, msg, g.log_json);
  (void)!write(fd.get(), line.data(), line.size());
}

}  // namespace

GlobalOptions& global_options() {
  static GlobalOptions options;
  return options;
}

Result<size_t> take_global_flags(std::span<const std::string> args) {
  GlobalOptions& g = global_options();
  size_t i = 0;
  for (; i < args.size(); ++i) {
    std::string name = args[i];
    if (!name.starts_with("--")) break;
    std::string value;
    bool has_value = false;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto take_value = [&]() -> Result<std::string> {
      if (has_value) return value;
      if (i + 1 >= args.size()) return Error::invalid(name + " needs a value");
      return args[++i];
    };
    if (name == "--root") {
      EW_ASSIGN(g.root, take_value());
    } else if (name == "--log") {
      EW_ASSIGN(g.log, take_value());
    } else if (name == "--log-format") {
      EW_ASSIGN(std::string f, take_value());
      if (f != "text" && f != "json") return Error::invalid("--log-format must be text or json, got \"" + f + "\"");
      g.log_json = f == "json";
    } else if (name == "--systemd-cgroup") {
      g.systemd_cgroup = true;
    } else if (name == "--debug") {
      g.debug = true;
    } else {
      break;  // --help, --version, or a command's own option: not ours
    }
  }
  return i;
}

int report_oci_error(const Error& e) {
  append_log("error", e.message);
  text::err() << "edgeward: error: " << e.message << "\n";
  return e.code == ErrorCode::kInvalidInput ? 2 : e.code == ErrorCode::kNotFound ? 3 : 1;
}

void log_warning(const std::string& msg) {
  append_log("warning", msg);
  text::err() << "edgeward: warning: " << msg << "\n";
}

void log_debug(const std::string& msg) {
  if (!global_options().debug) return;
  if (global_options().log.empty()) {
    text::err() << "edgeward: debug: " << msg << "\n";
  } else {
    append_log("debug", msg);
  }
}

}  // namespace edgeward::oci
