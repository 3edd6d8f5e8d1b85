#include "runtime/oci/signals.h"

#include <signal.h>

#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "common/units.h"

namespace edgeward::oci {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 30> kSignals{{
    {"HUP", SIGHUP},     {"INT", SIGINT},       {"QUIT", SIGQUIT},   {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT},   {"IOT", SIGIOT},       {"BUS", SIGBUS},     {"FPE", SIGFPE},   {"KILL", SIGKILL},
    {"USR1", SIGUSR1},   {"SEGV", SIGSEGV},     {"USR2", SIGUSR2},   {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
    {"TERM", SIGTERM},   {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CONT", SIGCONT}, {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},   {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},   {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},   {"WINCH", SIGWINCH}, {"SYS", SIGSYS},
}};

}  // namespace

Result<int> parse_signal(std::string_view text) {
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
    auto n = parse_uint(text, 1, static_cast<uint64_t>(SIGRTMAX), "signal");
    if (!n) return std::move(n).error();
    return static_cast<int>(*n);
  }
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string_view name = upper;
  if (name.starts_with("SIG")) name.remove_prefix(3);
  for (const auto& [n, sig] : kSignals) {
    if (n == name) return sig;
  }
  return Error::invalid("unknown signal \"" + std::string(text) + "\" (use a name like TERM or KILL, or a number)");
}

}  // namespace edgeward::oci
