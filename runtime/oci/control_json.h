// JSON the runc-style control subcommands print: `ps --format json` (an array of pids) and
// `events` (runc's {"type":"stats","id":...,"data":{"cpu","memory","pids",...}} lines, the
// shape of libcontainer's types.Event that go-runc and containerd decode).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runtime/container/container_cgroups.h"

namespace edgeward::oci {

std::string pids_json(const std::vector<pid_t>& pids);
// One line, newline-terminated.
std::string stats_event_json(const std::string& id, const runtime::CgroupStats& s);

}  // namespace edgeward::oci
