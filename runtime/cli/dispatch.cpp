#include <algorithm>
#include <vector>

#include "common/text/writer.h"
#include "common/version.h"
#include "runtime/cli/command.h"
#include "runtime/oci/global_options.h"

namespace edgeward::cli {
namespace {

std::vector<std::string_view> words(std::string_view name) {
  std::vector<std::string_view> out;
  while (!name.empty()) {
    const size_t sp = name.find(' ');
    out.push_back(name.substr(0, sp));
    name = sp == std::string_view::npos ? std::string_view{} : name.substr(sp + 1);
  }
  return out;
}

// Number of leading args that spell `c.name`, or 0 when they do not.
size_t match(const Command& c, Args args) {
  const auto w = words(c.name);
  if (args.size() < w.size()) return 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (args[i] != w[i]) return 0;
  }
  return w.size();
}

std::string overview(std::string_view group) {
  text::Writer o;
  if (group.empty()) {
    o << "edgeward " << current_version().version
      << " - run untrusted workloads safely on edge nodes, and prove what ran\n\n"
      << "usage: edgeward COMMAND [ARGS...]\n       edgeward --version | --help\n\n";
  } else {
    o << "usage: edgeward " << group << " COMMAND [ARGS...]\n\n";
  }
  o << "commands:\n";
  for (const Command& c : commands()) {
    if (!group.empty() && !c.name.starts_with(std::string(group) + " ")) continue;
    if (c.name.starts_with("__")) continue;  // internal commands (the container monitor)
    std::string left = "  " + std::string(c.name);
    left.resize(std::max<size_t>(left.size() + 2, 22), ' ');
    o << left << c.summary << "\n";
  }
  o << "\nRun 'edgeward COMMAND --help' for a command's options.\n"
    << "Exit codes: 0 ok, 1 the operation failed, 2 bad input or usage, 3 not found.\n";
  return o.str();
}

}  // namespace

int report(const Error& e) {
  text::err() << "edgeward: error: " << e.message << "\n";
  if (e.code == ErrorCode::kInvalidInput) return kExitUsage;
  if (e.code == ErrorCode::kNotFound) return 3;
  return kExitFailed;
}

int run_cli(Args args) {
  // OCI runtime global flags before the command (`edgeward --root DIR --log F create ...`).
  auto globals = oci::take_global_flags(args);
  if (!globals) return oci::report_oci_error(globals.error());
  args = args.subspan(*globals);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    text::out() << overview("");
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    const Version v = current_version();
    text::out() << "edgeward " << v.version << " (" << v.git_commit << ", " << v.arch << ", board " << v.board
              << ")\n";
    return kExitOk;
  }
  const Command* best = nullptr;
  size_t best_len = 0;
  for (const Command& c : commands()) {
    const size_t n = match(c, args);
    if (n > best_len) {
      best = &c;
      best_len = n;
    }
  }
  if (best) return best->run(args.subspan(best_len));

  // A group alone ("edgeward board", "edgeward ota repo") or with --help: list its commands. The
  // group is the longest run of leading args that begins some command's name.
  size_t group_len = 0;
  for (const Command& c : commands()) {
    const auto w = words(c.name);
    size_t n = 0;
    while (n + 1 < w.size() && n < args.size() && args[n] == w[n]) ++n;
    group_len = std::max(group_len, n);
  }
  if (group_len > 0) {
    std::string group(args[0]);
    for (size_t i = 1; i < group_len; ++i) group += " " + args[i];
    if (args.size() == group_len || args[group_len] == "--help" || args[group_len] == "-h") {
      text::out() << overview(group);
      return args.size() == group_len ? kExitUsage : kExitOk;
    }
    return report(Error::invalid("unknown command '" + group + " " + args[group_len] + "' (run 'edgeward " + group +
                                 " --help' for the list)"));
  }
  return report(Error::invalid("unknown command '" + args[0] + "' (run 'edgeward --help' for the list)"));
}

}  // namespace edgeward::cli
