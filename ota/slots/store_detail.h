// Internal to ota/slots: the small helpers the OtaStore operations share across their files.
#pragma once

#include <string>

#include "common/result.h"
#include "ota/file_ops.h"
#include "ota/slots/ota_state.h"

namespace edgeward::ota::detail {

std::string now_utc();
// "app.ewi version 3", or "the factory image version 0".
std::string describe(const Installed& in);
// mkdir -p (0700), each new directory made durable before anything lands in it.
Status make_dir(FileOps& ops, const std::string& dir);

}  // namespace edgeward::ota::detail
