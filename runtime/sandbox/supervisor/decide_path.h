// Decisions on path-taking syscalls (open family, exec, and the table of metadata / namespace
// changing calls). Internal to the supervisor; decisions.cpp registers them.
#pragma once

#include <span>

#include "runtime/sandbox/supervisor/decisions.h"

namespace edgeward::sandbox::path_calls {

std::span<const DecisionEntry> entries();

}  // namespace edgeward::sandbox::path_calls

namespace edgeward::sandbox::other_calls {

std::span<const DecisionEntry> entries();

}  // namespace edgeward::sandbox::other_calls

namespace edgeward::sandbox::socket_calls {

std::span<const DecisionEntry> entries();

}  // namespace edgeward::sandbox::socket_calls
