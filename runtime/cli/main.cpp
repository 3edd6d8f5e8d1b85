#include <string>
#include <vector>

#include "common/startup_trace.h"
#include "runtime/cli/command.h"
#include "runtime/sandbox/init.h"

int main(int argc, char** argv) {
  edgeward::startup_trace::note_main();  // `vm run --trace-startup` measures from here
  // Re-executed as pid 1 of a sandbox (runtime/sandbox/init.h): nothing else runs.
  if (edgeward::sandbox::is_init_invocation(argc, argv)) return edgeward::sandbox::init_main(argc, argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  return edgeward::cli::run_cli(args);
}
