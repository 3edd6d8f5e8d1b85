// config.json's `hooks` (runtime-spec config.md, "POSIX-platform Hooks"): prestart (deprecated),
// createRuntime, createContainer, startContainer, poststart, poststop, each a list of
// {path, args, env, timeout}. Checked here: types, an absolute path, no NUL bytes, a timeout of
// 1 .. 3600 s (absent: runtime::kDefaultHookTimeout). Whether the programs exist is
// bundle.cpp's business (a startContainer hook's path is inside the container: `start`'s).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "runtime/container/hook_spec.h"

namespace edgeward::oci {

// Reads root["hooks"] (absent or null: no hooks); errors name `source` and the JSON path.
edgeward::Status read_hooks(const nlohmann::ordered_json& root, const std::string& source, runtime::Hooks& out);

}  // namespace edgeward::oci
