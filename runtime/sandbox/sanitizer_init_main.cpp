// The sandbox's init as a program of its own, for the asan preset only: sanitized binaries are
// dynamically linked and cannot be re-executed inside a workload's root file system (no loader, no
// libasan there), so sandbox.cpp execs this static, uninstrumented build of the same init.cpp.
#include "runtime/sandbox/init.h"

int main(int argc, char** argv) {
  if (edgeward::sandbox::is_init_invocation(argc, argv)) return edgeward::sandbox::init_main(argc, argv);
  return 127;
}
