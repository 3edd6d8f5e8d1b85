// Fetches one small file (TUF metadata) whole into memory through the transport's ByteSource,
// refusing it as soon as it passes `cap` bytes. A missing file (HTTP 404, no such file) is
// kNotFound, which the root rotation loop takes as "no newer root".
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "ota/transport/http_source.h"

namespace edgeward::ota::client {

Result<std::string> fetch_capped(const std::string& url, uint64_t cap, const TransportOptions& options);

}  // namespace edgeward::ota::client
