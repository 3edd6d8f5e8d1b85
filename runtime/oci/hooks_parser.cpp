#include "runtime/oci/hooks_parser.h"

#include "runtime/oci/json_reader.h"

namespace edgeward::oci {
namespace {

using json = JsonReader::json;
constexpr size_t kMaxHooksPerPhase = 64;

edgeward::Status read_hook(const JsonReader& r, const json& h, const std::string& path, runtime::Hook& out) {
  if (!h.is_object()) return r.type_error(path, "an object", h);
  const json* p = JsonReader::member(h, "path");
  if (!p) return r.error(path + ".path", "missing: give the absolute path of the program to run");
  EW_TRY(r.text(*p, path + ".path", out.path));
  if (out.path.empty() || out.path[0] != '/') {
    return r.error(path + ".path", "\"" + out.path + "\" must be an absolute path (the hook runs on the host)");
  }
  EW_TRY(r.texts(h, "args", path + ".args", out.args));
  EW_TRY(r.texts(h, "env", path + ".env", out.env));
  if (const json* t = JsonReader::member(h, "timeout")) {
    if (!t->is_number_integer()) return r.type_error(path + ".timeout", "an integer (seconds)", *t);
    uint64_t seconds = 0;
    if (!r.uint(*t, path + ".timeout", 1, runtime::kMaxHookTimeout, seconds)) {
      return r.error(path + ".timeout", "must be 1 .. " + std::to_string(runtime::kMaxHookTimeout) + " seconds, got " + t->dump());
    }
    out.timeout = static_cast<int>(seconds);
  }
  return {};
}

edgeward::Status read_phase(const JsonReader& r, const json& hooks, const char* key, std::vector<runtime::Hook>& out) {
  const std::string path = std::string("hooks.") + key;
  return r.each(hooks, key, path, kMaxHooksPerPhase, [&](const json& h, const std::string& at) {
    out.emplace_back();
    return read_hook(r, h, at, out.back());
  });
}

}  // namespace

edgeward::Status read_hooks(const json& root, const std::string& source, runtime::Hooks& out) {
  const JsonReader r(source);
  const json* hooks = JsonReader::member(root, "hooks");
  if (!hooks) return {};
  if (!hooks->is_object()) return r.type_error("hooks", "an object", *hooks);
  EW_TRY(read_phase(r, *hooks, "prestart", out.prestart));
  EW_TRY(read_phase(r, *hooks, "createRuntime", out.create_runtime));
  EW_TRY(read_phase(r, *hooks, "createContainer", out.create_container));
  EW_TRY(read_phase(r, *hooks, "startContainer", out.start_container));
  EW_TRY(read_phase(r, *hooks, "poststart", out.poststart));
  EW_TRY(read_phase(r, *hooks, "poststop", out.poststop));
  return {};
}

}  // namespace edgeward::oci
