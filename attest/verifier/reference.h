// Reference values for appraisal, from an XML file kept by the fleet manager (tinyxml2). Parser
// only; the policy that uses them is verifier/appraise.h.
//
//   <reference schema="1">
//     <runtime version="0.1.0"/>                     one or more allowed runtime versions
//     <runtime-binary digest="<sha256 hex>"/>        optional: allowed edgeward binaries
//     <image name="web" digest="<sha256 hex>"/>      allowed workload manifest digests
//     <board name="rpi4"/>                           optional: allowed boards
//     <revoked-device-cert digest="<sha256 hex>"/>   optional: SHA-256 of a device certificate's
//                                                    DER that is no longer trusted
//     <ota min-targets-version="7"/>                 optional: the evidence must carry OTA facts,
//                                                    with trusted targets metadata at least
//                                                    version 7 (the attribute is optional too)
//   </reference>
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/result.h"

namespace edgeward::attest {

constexpr size_t kMaxReferenceBytes = 256 * 1024;

struct ReferenceImage {
  std::string name;
  Digest digest{};
};

struct ReferenceOta {
  uint64_t min_targets_version = 0;  // 0: any
};

struct Reference {
  std::vector<std::string> runtime_versions;
  std::vector<Digest> runtime_binaries;  // empty: any binary
  std::vector<ReferenceImage> images;
  std::vector<std::string> boards;  // empty: any board
  std::vector<Digest> revoked_device_certs;
  std::optional<ReferenceOta> ota;  // absent: OTA facts are checked when present, not required
};

// `source` names the input in errors, which give the line and what to fix.
Result<Reference> parse_reference_xml(std::string_view xml, std::string_view source);
Result<Reference> load_reference(const std::string& path);

}  // namespace edgeward::attest
