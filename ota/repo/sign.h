// Signing metadata on the repository side: a role's "signed" object signed by the keys on disk
// that the root lists for that role, checked against the threshold before anything is written.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "ota/tuf/keys.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::repo {

// The file text of `signed_part` signed by every key in `keys` (each once).
Result<std::string> sign_metadata(const nlohmann::json& signed_part, const std::vector<tuf::SigningKey>& keys);

// The keys of `available` that `root` lists for `role`; an error when fewer than the threshold.
Result<std::vector<tuf::SigningKey>> keys_for(const tuf::Root& root, tuf::Role role,
                                              const std::vector<tuf::SigningKey>& available);

// sign_metadata with the role's keys from disk, then verified with tuf::verify_role against
// `root` (what a client will do) before the text is returned.
Result<std::string> sign_role(const std::string& repo_dir, const tuf::Root& root, tuf::Role role,
                              const nlohmann::json& signed_part);

}  // namespace edgeward::ota::repo
