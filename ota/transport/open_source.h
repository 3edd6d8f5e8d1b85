// Picks the ByteSource for a URL: http:// and https:// -> HttpSource, file:// -> FileSource,
// bundle:/PATH.tar!/MEMBER -> BundleSource (an offline bundle).
// The one place a new scheme (a chunked or delta source) gets wired in.
#pragma once

#include <memory>
#include <string_view>

#include "ota/transport/byte_source.h"
#include "ota/transport/http_source.h"

namespace edgeward::ota {

Result<std::unique_ptr<ByteSource>> open_source(std::string_view url, const TransportOptions& options);

}  // namespace edgeward::ota
