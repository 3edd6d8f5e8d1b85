// Handler tables shared by the ptrace decisions (decisions.h) and the seccomp notification
// handlers (notify_call.h): each family registers a span of {libseccomp name, handler} entries;
// these join them into one table, look names up, and index the table by syscall number.
#pragma once

#include <seccomp.h>

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace edgeward::sandbox {

// The families' entries in order, as one table.
template <typename Entry, typename... Families>
std::vector<Entry> join_tables(Families... families) {
  std::vector<Entry> all;
  (all.insert(all.end(), families.begin(), families.end()), ...);
  return all;
}

template <typename Entry>
bool has_entry(std::span<const Entry> table, std::string_view name) {
  return std::any_of(table.begin(), table.end(), [&](const Entry& e) { return e.name == name; });
}

// Native syscall number -> entry; names this architecture does not have are left out.
template <typename Entry>
std::unordered_map<long, const Entry*> index_by_number(std::span<const Entry> table) {
  std::unordered_map<long, const Entry*> by_nr;
  for (const Entry& e : table) {
    const int nr = seccomp_syscall_resolve_name(std::string(e.name).c_str());
    if (nr >= 0) by_nr[nr] = &e;
  }
  return by_nr;
}

}  // namespace edgeward::sandbox
