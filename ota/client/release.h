// A release target (`ota repo add --kind release --member ...`): the runtime build and the exact
// workload images that go with it, installed and rolled back as one transaction
// (OtaStore::install_release). Its members come from its signed custom field "members", each
// {name, length, sha256}; every member must also be a target of the same verified targets
// metadata with exactly that length and SHA-256 (nothing mixed in from another release), and a
// release holds exactly one runtime, which must fit this device.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "ota/client/install.h"
#include "ota/client/target_info.h"
#include "ota/slots/ota_store.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::client {

inline constexpr size_t kMaxReleaseMembers = 64;

struct ReleasePlan {
  TargetInfo release;
  TargetInfo runtime;
  std::vector<std::pair<std::string, TargetInfo>> workloads;  // workload name, its target
};

// The release's members in their listed order, each a target of `targets` with exactly its pinned
// length and SHA-256 (shape, count, duplicates and pins checked; not whether they fit a device).
Result<std::vector<TargetInfo>> pinned_members(const TargetInfo& release, const tuf::TargetFile& file,
                                               const std::map<std::string, tuf::TargetFile>& targets);

Result<ReleasePlan> plan_release(const TargetInfo& release, const tuf::TargetFile& file,
                                 const std::map<std::string, tuf::TargetFile>& targets, const Device& device);

// `files`: the downloaded, verified file of each member target, by target name.
Result<std::string> install_release(OtaStore& store, const ReleasePlan& plan,
                                    const std::map<std::string, std::string>& files);

}  // namespace edgeward::ota::client
