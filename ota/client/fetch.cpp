// Capped whole-file fetch (see fetch.h).
#include "ota/client/fetch.h"

#include <array>

#include "ota/transport/open_source.h"

namespace edgeward::ota::client {

Result<std::string> fetch_capped(const std::string& url, uint64_t cap, const TransportOptions& options) {
  EW_ASSIGN(auto source, open_source(url, options));
  EW_ASSIGN(OpenedRange range, source->open(0, cap));
  (void)range;
  std::string out;
  std::array<uint8_t, 16 * 1024> buf{};
  for (;;) {
    EW_ASSIGN(size_t n, source->read(buf));
    if (n == 0) break;
    if (out.size() + n > cap) {  // the source enforces the cap too; never rely on one check alone
      return Error::invalid(source->describe() + ": more than the " + std::to_string(cap) + " bytes allowed");
    }
    out.append(reinterpret_cast<const char*>(buf.data()), n);
  }
  return out;
}

}  // namespace edgeward::ota::client
