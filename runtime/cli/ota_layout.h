// The device's OTA layout from the command line: --state DIR (default <board data dir>/ota) and
// --slot-a/--slot-b DIR (default the board's slots), shared by the slot commands
// (ota_slot_cmd.cpp) and the client commands (ota_client_cmd.cpp).
#pragma once

#include "common/cli/args.h"
#include "ota/slots/ota_store.h"

namespace edgeward::cli {

inline const Option kOtaStateDir{"state", "DIR", "OTA state directory (default <board data dir>/ota)"};
inline const Option kOtaSlotA{"slot-a", "DIR", "directory of runtime slot A (default: the board's)"};
inline const Option kOtaSlotB{"slot-b", "DIR", "directory of runtime slot B (default: the board's)"};

// `state_key`: the option naming the state directory ("ota-state" where "state" means more).
Result<ota::OtaLayout> ota_layout_of(const ParsedArgs& p, const char* state_key = "state");

}  // namespace edgeward::cli
