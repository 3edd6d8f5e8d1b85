// main() of the test binaries that run sandboxes in-process: the sandbox re-executes the running
// binary as its pid 1 (runtime/sandbox/init.h), so this binary must answer as the init too.
#include <gtest/gtest.h>

#include "runtime/sandbox/init.h"

int main(int argc, char** argv) {
  if (edgeward::sandbox::is_init_invocation(argc, argv)) return edgeward::sandbox::init_main(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
