// Measured launch: the small API the daemon, the VMM and the sandbox call.
//
//   auto store = MeasurementStore::open(state_dir);
//   record_boot(*store, "/proc/self/exe", active_slot);        // once, at daemon start
//   auto img = verify_image(path, fleet_ca, threads);           // nothing unsigned runs
//   record_launch(*store, img->manifest, img->manifest_digest, config);  // before the first
//                                                               // guest instruction / exec
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "attest/image/manifest.h"
#include "attest/measure/store.h"
#include "common/result.h"

namespace edgeward::attest {

struct LaunchConfig {
  std::string backend;  // "kvm" or "sandbox"
  uint64_t memory_bytes = 0;
  uint32_t vcpus = 0;
  std::string command;  // kernel command line (kvm) or entry command (sandbox)
  std::string extra;    // anything else the backend decided (devices, mounts), canonical text

  // One canonical line, measured byte for byte: "backend=kvm memory=... vcpus=... cmd=... extra=...".
  std::string canonical() const;
};

// The launch configuration an image asks for on a backend.
LaunchConfig launch_config_for(const Manifest& m, const std::string& backend);

// What record_boot measures for OTA slot `slot` ("A"): SHA-256("edgeward-ota-slot:" || slot). The
// verifier recomputes it to learn which slot a device booted (the event data is not measured).
Digest ota_slot_digest(std::string_view slot);

// Starts a new boot and measures the runtime binary (SHA-256 of `binary_path`) into register 0
// and the active OTA slot (`slot`, e.g. "A") into register 1.
Status record_boot(MeasurementStore& store, const std::string& binary_path, const std::string& slot);

// Measures a verified workload before it starts: the manifest digest (register 2), each
// component digest (register 3) and the launch configuration (register 4), as one atomic append.
Status record_launch(MeasurementStore& store, const Manifest& m, const Digest& manifest_digest,
                     const LaunchConfig& config);

}  // namespace edgeward::attest
