#include <string>
#include <vector>

#include "runtime/cli/command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return edgeward::cli::run_cli(args);
}
