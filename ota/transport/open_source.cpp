// URL -> ByteSource (see open_source.h).
#include "ota/transport/open_source.h"

#include "ota/transport/bundle_source.h"
#include "ota/transport/file_source.h"

namespace edgeward::ota {

Result<std::unique_ptr<ByteSource>> open_source(std::string_view text, const TransportOptions& options) {
  if (text.starts_with(kBundleScheme)) {
    EW_ASSIGN(BundleMember m, parse_bundle_url(text));
    return std::unique_ptr<ByteSource>(std::make_unique<BundleSource>(std::move(m)));
  }
  EW_ASSIGN(Url url, parse_url(text));
  if (url.scheme == Scheme::kFile) return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(url.target));
  EW_ASSIGN(auto http, HttpSource::create(url, options));
  return std::unique_ptr<ByteSource>(std::move(http));
}

}  // namespace edgeward::ota
