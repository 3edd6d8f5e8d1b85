// Opens an existing host TAP interface for virtio-net: IFF_TAP | IFF_NO_PI without
// IFF_VNET_HDR (the guest's virtio_net_hdr_v1 asks for no offloads and is not passed on), one
// frame per read/write, non-blocking and close-on-exec.
#pragma once

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::vmm {

// Errors name the interface and say how to create it or what permission is missing.
Result<UniqueFd> open_tap(const std::string& name);

}  // namespace edgeward::vmm
