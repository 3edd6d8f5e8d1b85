// `edgeward events [--stats] [--interval D] ID`: the container's cgroup usage as runc's events
// JSON ({"type":"stats","id":...,"data":{"cpu","memory","pids",...}}): once with --stats, else
// every interval (default 5s) until the container stops.
#include <chrono>
#include <thread>

#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/oci_common.h"
#include "runtime/oci/control_json.h"
#include "runtime/oci/global_options.h"

namespace edgeward::cli {
namespace {

// A Go-style duration as runc takes it: "5s", "500ms", "1m" (whole numbers), at least 1 ms.
Result<std::chrono::milliseconds> parse_interval(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string unit = text.substr(digits);
  const uint64_t scale = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : 0;
  if (digits == 0 || scale == 0) return Error::invalid("--interval " + text + ": expected e.g. 5s, 500ms or 1m");
  EW_ASSIGN(uint64_t n, parse_uint(text.substr(0, digits), 1, 86400000 / scale, "--interval"));
  return std::chrono::milliseconds(n * scale);
}

}  // namespace

int oci_events(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] events [--stats] [--interval D] ID",
                         "OCI runtime (as runc events): the container's cpu, memory and pids usage as JSON\n"
                         "lines, every D (default 5s) until it stops, or once with --stats.",
                         {{"stats", "", "print the stats once and exit"},
                          {"interval", "D", "how often (5s, 500ms, 1m)"}});
  const auto argv = runc_style_args(args, {}, {"interval"});
  int code = 0;
  auto parsed = parse_oci(parser, argv, 1, code);
  if (!parsed) return code;
  auto interval = parse_interval(parsed->value_or("interval", "5s"));
  if (!interval) return oci::report_oci_error(interval.error());
  auto root = open_root();
  if (!root) return oci::report_oci_error(root.error());
  const std::string id = parsed->positional()[0];
  for (bool first = true;; first = false) {
    auto stats = root->stats(id);
    if (!stats) {  // the end of a stream is the container stopping, not an error
      if (first) return oci::report_oci_error(stats.error());
      return kExitOk;
    }
    text::out() << oci::stats_event_json(id, *stats);
    text::out().flush();
    if (parsed->flag("stats")) return kExitOk;
    std::this_thread::sleep_for(*interval);
  }
}

}  // namespace edgeward::cli
