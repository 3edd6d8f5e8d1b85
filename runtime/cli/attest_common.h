// Shared by the `edgeward attest ...` handlers: the state directory and hex nonces.
#pragma once

#include <string>
#include <vector>

#include "common/cli/args.h"
#include "common/result.h"

namespace edgeward::cli {

// --state DIR, else <board data dir>/attest.
std::string attest_state_dir(const ParsedArgs& p);
// --ca FILE, else <state>/fleet-ca.crt.
std::string fleet_ca_path(const ParsedArgs& p);
// 16..128 hex digits -> 8..64 bytes.
Result<std::vector<uint8_t>> parse_nonce(const std::string& hex);
std::vector<uint8_t> random_nonce();

}  // namespace edgeward::cli
