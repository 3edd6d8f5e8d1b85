// `edgeward board show|list`: the board this binary runs on, or any board file.
#include <nlohmann/json.hpp>

#include "common/board/board_parser.h"
#include "common/board/embedded_boards.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {
namespace {

nlohmann::ordered_json board_json(const board::Board& b) {
  nlohmann::ordered_json j;
  j["name"] = b.name;
  j["description"] = b.description;
  j["arch"] = board::arch_name(b.arch);
  j["toolchain"] = b.toolchain;
  j["memory_bytes"] = b.memory_bytes;
  j["cpus"] = b.cpus;
  j["kvm_expected"] = b.kvm_expected;
  j["console"] = {{"device", b.console.device}, {"baud", b.console.baud}};
  nlohmann::ordered_json slots = nlohmann::ordered_json::array();
  for (const auto& s : b.storage.slots) slots.push_back({{"name", s.name}, {"path", s.path}});
  j["storage"] = {{"data", b.storage.data_path}, {"slots", slots}};
  nlohmann::ordered_json labels = nlohmann::ordered_json::object();
  for (const auto& [k, v] : b.labels) labels[k] = v;
  j["labels"] = labels;
  return j;
}

void print_board_text(const board::Board& b) {
  text::out() << "board:       " << b.name << "\n";
  if (!b.description.empty()) text::out() << "description: " << b.description << "\n";
  text::out() << "arch:        " << board::arch_name(b.arch) << "\n"
            << "toolchain:   " << b.toolchain << "\n"
            << "memory:      " << format_size(b.memory_bytes) << "\n"
            << "cpus:        " << b.cpus << "\n"
            << "kvm:         " << (b.kvm_expected ? "expected" : "not expected") << "\n"
            << "console:     " << b.console.device << " @ " << b.console.baud << "\n"
            << "storage:     data " << b.storage.data_path << "\n";
  for (const auto& s : b.storage.slots) text::out() << "             slot " << s.name << " " << s.path << "\n";
  text::out() << "labels:\n";
  for (const auto& [k, v] : b.labels) text::out() << "  " << k << "=" << v << "\n";
}

}  // namespace

int board_show(Args args) {
  const ArgParser parser("edgeward board show [NAME|FILE] [--json]",
                         "Show a board: this binary's own board by default, a built-in board by name, or a\n"
                         "board XML file. Bad board files are reported with file and line (exit code 2).",
                         {{"json", "", "print the board as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() > 1) return report(Error::invalid("board show takes at most one board"));
  const std::string spec = parsed->positional().empty() ? "" : parsed->positional()[0];
  auto b = board::resolve_board(spec);
  if (!b) return report(b.error());
  if (parsed->flag("json")) {
    text::out() << board_json(*b).dump(2) << "\n";
  } else {
    print_board_text(*b);
  }
  return kExitOk;
}

int board_list(Args args) {
  const ArgParser parser("edgeward board list [--json]", "List the boards built into this binary.",
                         {{"json", "", "print the list as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& e : board::embedded_boards()) {
    auto b = board::parse_board_xml(e.xml, e.name);
    if (!b) return report(b.error());
    const bool is_default = e.name == board::default_board_name();
    if (parsed->flag("json")) {
      list.push_back({{"name", b->name}, {"arch", board::arch_name(b->arch)}, {"default", is_default},
                      {"description", b->description}});
    } else {
      text::out() << (is_default ? "* " : "  ") << b->name << " (" << board::arch_name(b->arch) << ") "
                << b->description << "\n";
    }
  }
  if (parsed->flag("json")) text::out() << list.dump(2) << "\n";
  return kExitOk;
}

}  // namespace edgeward::cli
