#include "runtime/daemon/restart_policy.h"

#include <charconv>

namespace edgeward::daemon {

std::string RestartPolicy::text() const {
  switch (kind) {
    case Kind::kNo: return "no";
    case Kind::kAlways: return "always";
    case Kind::kOnFailure: return max_restarts ? "on-failure:" + std::to_string(max_restarts) : "on-failure";
  }
  return "no";
}

Result<RestartPolicy> parse_restart_policy(std::string_view text) {
  const auto bad = [&] {
    return Error::invalid("--restart '" + std::string(text) + "': use no, on-failure, on-failure:N (N 1..1000000) or always");
  };
  if (text.empty() || text == "no") return RestartPolicy{};
  if (text == "always") return RestartPolicy{RestartPolicy::Kind::kAlways, 0};
  constexpr std::string_view kOnFailure = "on-failure";
  if (text.substr(0, kOnFailure.size()) != kOnFailure) return bad();
  std::string_view rest = text.substr(kOnFailure.size());
  if (rest.empty()) return RestartPolicy{RestartPolicy::Kind::kOnFailure, 0};
  if (rest[0] != ':' || rest.size() < 2) return bad();
  rest.remove_prefix(1);
  uint32_t n = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (ec != std::errc{} || end != rest.data() + rest.size() || n == 0 || n > 1000000) return bad();
  return RestartPolicy{RestartPolicy::Kind::kOnFailure, n};
}

bool should_restart(const RestartPolicy& p, int exit_status, uint32_t restarts_so_far, bool stopped_by_user) {
  if (stopped_by_user) return false;
  switch (p.kind) {
    case RestartPolicy::Kind::kNo: return false;
    case RestartPolicy::Kind::kAlways: return true;
    case RestartPolicy::Kind::kOnFailure:
      return exit_status != 0 && (p.max_restarts == 0 || restarts_so_far < p.max_restarts);
  }
  return false;
}

std::chrono::milliseconds restart_backoff(uint32_t consecutive) {
  constexpr std::chrono::milliseconds kFirst{100}, kMax{30000};
  if (consecutive <= 1) return kFirst;
  if (consecutive > 12) return kMax;
  return std::min(kMax, kFirst * (1u << (consecutive - 1)));
}

}  // namespace edgeward::daemon
