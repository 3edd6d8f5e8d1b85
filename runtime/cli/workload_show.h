// Shared by the daemon-facing commands (run, ps, stop, logs, inspect, rm, metrics): the --socket
// option, one request to the daemon, and how a workload is printed (table, detail, JSON).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/cli/args.h"
#include "runtime/daemon/client.h"

namespace edgeward::cli {

// --socket PATH, else $EDGEWARD_SOCKET, else /run/edgeward/edgeward.sock.
extern const Option kSocketOption;
std::string socket_path(const ParsedArgs& p);

// Connects and sends one request.
Result<daemon::Response> call_daemon(const ParsedArgs& p, const daemon::Request& r);

nlohmann::ordered_json workload_json(const daemon::WorkloadInfo& w);
void print_table(const std::vector<daemon::WorkloadInfo>& ws);
void print_detail(const daemon::WorkloadInfo& w);

}  // namespace edgeward::cli
