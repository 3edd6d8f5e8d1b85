// Internal to ota/repo: the staged target list (DIR/staging/targets.json) and the publish step
// shared by init, publish and rotate.
#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "ota/repo/layout.h"
#include "ota/repo/repo.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::repo {

using TargetMap = std::map<std::string, tuf::TargetFile>;

Result<TargetMap> read_staged(const Layout& l);
Status write_staged(const Layout& l, const TargetMap& targets);

// DIR/targets/<dirs>/<sha256>.<basename>
std::string target_path(const Layout& l, const std::string& name, const std::string& sha);

// Copies `src` (or, when it is empty, `data`) to DIR/targets/<dirs>/<sha256>.<basename> (temporary,
// fsync, rename, fsync of the directory) and returns its length and hash; `path` gets where it is.
Result<tuf::TargetFile> store_target(const Layout& l, const std::string& name, const std::string& src,
                                     const std::string& data, std::string& path);

// The version of metadata/<role>.json, 0 when the file does not exist yet.
Result<uint64_t> current_version(const Layout& l, tuf::Role role);

// Signs and writes the next targets, snapshot and timestamp under `root`.
Result<Published> publish_with_root(const Layout& l, const tuf::Root& root, const Lifetimes& lifetimes, int64_t now);

}  // namespace edgeward::ota::repo
