#include "runtime/oci/config_parser.h"

#include <cstdint>

#include <nlohmann/json.hpp>

#include "runtime/oci/hooks_parser.h"
#include "runtime/oci/json_reader.h"
#include "runtime/oci/process_fields_json.h"
#include "runtime/oci/seccomp_parser.h"

namespace edgeward::oci {
namespace {

using json = nlohmann::ordered_json;  // one instantiation for the whole binary (size)

// One field access with its JSON path, so every error says where it is.
class Reader : public JsonReader {
 public:
  using JsonReader::JsonReader;

  Result<const json*> object(const json& j, const char* key, const std::string& path) const {
    const json* v = member(j, key);
    if (v && !v->is_object()) return type_error(path, "an object", *v);
    return v;
  }
  edgeward::Status string(const json& j, const char* key, const std::string& path, std::string& out) const {
    const json* v = member(j, key);
    if (!v) return {};
    if (!v->is_string()) return type_error(path, "a string", *v);
    out = v->get<std::string>();
    return {};
  }
  edgeward::Status boolean(const json& j, const char* key, const std::string& path, bool& out) const {
    const json* v = member(j, key);
    if (!v) return {};
    if (!v->is_boolean()) return type_error(path, "true or false", *v);
    out = v->get<bool>();
    return {};
  }
  edgeward::Status integer(const json& j, const char* key, const std::string& path, std::optional<int64_t>& out) const {
    const json* v = member(j, key);
    if (!v) return {};
    if (!v->is_number_integer()) return type_error(path, "an integer", *v);
    if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return error(path, "out of range");
    }
    out = v->get<int64_t>();
    return {};
  }
  // A uid or gid: an integer in 0 .. 2^32-2.
  edgeward::Status id_value(const json& v, const std::string& path, uint32_t& out) const {
    if (!v.is_number_integer()) return type_error(path, "an integer id", v);
    if (v.is_number_unsigned() ? v.get<uint64_t>() > 0xfffffffeu : v.get<int64_t>() < 0) return error(path, "out of range");
    out = static_cast<uint32_t>(v.get<uint64_t>());
    return {};
  }
  edgeward::Status id(const json& j, const char* key, const std::string& path, uint32_t& out) const {
    const json* v = member(j, key);
    return v ? id_value(*v, path, out) : edgeward::Status{};
  }
  // Each element of the array member `key` (absent: none), which must be an object:
  // fn(element, "path[i]").
  template <typename F>
  edgeward::Status each_object(const json& j, const char* key, const std::string& path, F fn) const {
    const json* a = member(j, key);
    if (!a) return {};
    if (!a->is_array()) return type_error(path, "an array", *a);
    for (size_t i = 0; i < a->size(); ++i) {
      const std::string at = path + "[" + std::to_string(i) + "]";
      if (!(*a)[i].is_object()) return type_error(at, "an object", (*a)[i]);
      EW_TRY(fn((*a)[i], at));
    }
    return {};
  }
  edgeward::Status strings(const json& j, const char* key, const std::string& path, std::vector<std::string>& out) const {
    const json* v = member(j, key);
    if (!v) return {};
    if (!v->is_array()) return type_error(path, "an array of strings", *v);
    for (size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      if (!e.is_string()) return type_error(path + "[" + std::to_string(i) + "]", "a string", e);
      out.push_back(e.get<std::string>());
    }
    return {};
  }
  // An object of strings (absent: none); errors name `path["key"]`.
  edgeward::Status string_map(const json& j, const char* key, const std::string& path,
                              std::map<std::string, std::string>& out) const {
    EW_ASSIGN(const json* m, object(j, key, path));
    if (!m) return {};
    for (const auto& [k, value] : m->items()) {
      if (!value.is_string()) return type_error(path + "[\"" + k + "\"]", "a string", value);
      out[k] = value.get<std::string>();
    }
    return {};
  }
};

edgeward::Status read_process(const Reader& r, const json& root, OciConfig& c) {
  EW_ASSIGN(const json* p, r.object(root, "process", "process"));
  if (!p) return r.error("process", "missing: the bundle must say what to run");
  EW_TRY(r.strings(*p, "args", "process.args", c.args));
  if (c.args.empty()) return r.error("process.args", "missing or empty: give at least the program to run");
  if (c.args[0].empty()) return r.error("process.args[0]", "the program name is empty");
  EW_TRY(r.strings(*p, "env", "process.env", c.env));
  for (size_t i = 0; i < c.env.size(); ++i) {
    if (c.env[i].find('=') == std::string::npos || c.env[i][0] == '=') {
      return r.error("process.env[" + std::to_string(i) + "]", "\"" + c.env[i] + "\" is not KEY=VALUE");
    }
  }
  EW_TRY(r.string(*p, "cwd", "process.cwd", c.cwd));
  if (c.cwd.empty() || c.cwd[0] != '/') return r.error("process.cwd", "must be an absolute path, got \"" + c.cwd + "\"");
  EW_TRY(r.boolean(*p, "terminal", "process.terminal", c.terminal));
  EW_ASSIGN(const json* user, r.object(*p, "user", "process.user"));
  if (!user) return {};
  EW_TRY(r.id(*user, "uid", "process.user.uid", c.uid));
  EW_TRY(r.id(*user, "gid", "process.user.gid", c.gid));
  const json* groups = Reader::member(*user, "additionalGids");
  if (!groups) return {};
  if (!groups->is_array()) return r.type_error("process.user.additionalGids", "an array of ids", *groups);
  for (size_t i = 0; i < groups->size(); ++i) {
    c.additional_gids.push_back(0);
    EW_TRY(r.id_value((*groups)[i], "process.user.additionalGids[" + std::to_string(i) + "]", c.additional_gids.back()));
  }
  return {};
}

edgeward::Status read_mounts(const Reader& r, const json& root, OciConfig& c) {
  return r.each_object(root, "mounts", "mounts", [&](const json& e, const std::string& path) -> edgeward::Status {
    OciConfig::Mount m;
    EW_TRY(r.string(e, "destination", path + ".destination", m.destination));
    if (m.destination.empty() || m.destination[0] != '/') return r.error(path + ".destination", "must be an absolute path");
    EW_TRY(r.string(e, "type", path + ".type", m.type));
    EW_TRY(r.string(e, "source", path + ".source", m.source));
    EW_TRY(r.strings(e, "options", path + ".options", m.options));
    c.mounts.push_back(std::move(m));
    return {};
  });
}

edgeward::Status read_root(const Reader& r, const json& root, OciConfig& c) {
  EW_ASSIGN(const json* rt, r.object(root, "root", "root"));
  if (!rt) return r.error("root", "missing: the bundle must name its root file system (root.path)");
  EW_TRY(r.string(*rt, "path", "root.path", c.root_path));
  if (c.root_path.empty()) return r.error("root.path", "missing or empty");
  EW_TRY(r.boolean(*rt, "readonly", "root.readonly", c.root_readonly));
  return {};
}

edgeward::Status read_annotations(const Reader& r, const json& root, OciConfig& c) {
  return r.string_map(root, "annotations", "annotations", c.annotations);
}

// linux.uidMappings / gidMappings: the entries, shape-checked; what they may map is the
// sandbox's to judge (identity.h).
edgeward::Status read_id_mappings(const Reader& r, const json& linux_, const char* key,
                                  std::vector<OciConfig::IdMapping>& out) {
  const std::string where = std::string("linux.") + key;
  if (const json* a = Reader::member(linux_, key); a && a->is_array() && a->size() > kMaxIdMappings) {
    return r.error(where, std::to_string(a->size()) + " entries; the kernel takes at most " + std::to_string(kMaxIdMappings));
  }
  return r.each_object(linux_, key, where, [&](const json& e, const std::string& path) -> edgeward::Status {
    OciConfig::IdMapping m;
    for (const char* field : {"containerID", "hostID", "size"}) {
      if (!Reader::member(e, field)) return r.error(path + "." + field, "missing");
    }
    EW_TRY(r.id(e, "containerID", path + ".containerID", m.container_id));
    EW_TRY(r.id(e, "hostID", path + ".hostID", m.host_id));
    std::optional<int64_t> size;
    EW_TRY(r.integer(e, "size", path + ".size", size));
    if (*size < 1 || *size > 0xffffffffll) return r.error(path + ".size", "must be 1 .. 4294967295");
    m.size = static_cast<uint32_t>(*size);
    out.push_back(m);
    return {};
  });
}

edgeward::Status read_namespaces(const Reader& r, const json& linux_, OciConfig& c) {
  EW_TRY(read_id_mappings(r, linux_, "uidMappings", c.uid_mappings));
  EW_TRY(read_id_mappings(r, linux_, "gidMappings", c.gid_mappings));
  c.has_namespaces = Reader::member(linux_, "namespaces") != nullptr;
  const auto one = [&](const json& e, const std::string& path) -> edgeward::Status {
    OciConfig::Namespace n;
    EW_TRY(r.string(e, "type", path + ".type", n.type));
    if (n.type.empty()) return r.error(path + ".type", "missing");
    EW_TRY(r.string(e, "path", path + ".path", n.path));
    c.namespaces.push_back(std::move(n));
    return {};
  };
  return r.each_object(linux_, "namespaces", "linux.namespaces", one);
}

// linux.maskedPaths, readonlyPaths, devices and sysctl: types here, meaning in linux_fields.cpp.
edgeward::Status read_linux_fs(const Reader& r, const json& linux_, OciConfig& c) {
  EW_TRY(r.strings(linux_, "maskedPaths", "linux.maskedPaths", c.masked_paths));
  EW_TRY(r.strings(linux_, "readonlyPaths", "linux.readonlyPaths", c.readonly_paths));
  EW_TRY(r.each_object(linux_, "devices", "linux.devices", [&](const json& e, const std::string& path) -> edgeward::Status {
    OciConfig::Device d;
    EW_TRY(r.string(e, "path", path + ".path", d.path));
    if (d.path.empty()) return r.error(path + ".path", "missing");
    EW_TRY(r.string(e, "type", path + ".type", d.type));
    if (d.type != "c" && d.type != "u" && d.type != "b" && d.type != "p") {
      return r.error(path + ".type", "must be c, u, b or p, got \"" + d.type + "\"");
    }
    std::optional<int64_t> major, minor, mode;
    EW_TRY(r.integer(e, "major", path + ".major", major));
    EW_TRY(r.integer(e, "minor", path + ".minor", minor));
    if (d.type != "p" && (!major || !minor)) return r.error(path, "a " + d.type + " device needs major and minor");
    if ((major && (*major < 0 || *major > 0xfff)) || (minor && (*minor < 0 || *minor > 0xfffff))) {
      return r.error(path, "major must be in 0..4095 and minor in 0..1048575");
    }
    d.major = major.value_or(0);
    d.minor = minor.value_or(0);
    EW_TRY(r.integer(e, "fileMode", path + ".fileMode", mode));
    if (mode && (*mode < 0 || *mode > 07777)) return r.error(path + ".fileMode", "must be permission bits (0..07777)");
    if (mode) d.file_mode = static_cast<uint32_t>(*mode);
    for (auto [key, out] : {std::pair{"uid", &d.uid}, std::pair{"gid", &d.gid}}) {
      if (!Reader::member(e, key)) continue;
      uint32_t id = 0;
      EW_TRY(r.id(e, key, path + "." + key, id));
      *out = id;
    }
    c.devices.push_back(std::move(d));
    return {};
  }));
  return r.string_map(linux_, "sysctl", "linux.sysctl", c.sysctl);
}

edgeward::Status read_device_rules(const Reader& r, const json& res, OciConfig& c) {
  return r.each_object(res, "devices", "linux.resources.devices", [&](const json& e, const std::string& path) -> edgeward::Status {
    OciConfig::DeviceRule rule;
    const json* allow = Reader::member(e, "allow");
    if (!allow) return r.error(path + ".allow", "missing (true or false)");
    EW_TRY(r.boolean(e, "allow", path + ".allow", rule.allow));
    EW_TRY(r.string(e, "type", path + ".type", rule.type));
    if (rule.type != "a" && rule.type != "c" && rule.type != "b") {
      return r.error(path + ".type", "must be a, c or b, got \"" + rule.type + "\"");
    }
    EW_TRY(r.integer(e, "major", path + ".major", rule.major));
    EW_TRY(r.integer(e, "minor", path + ".minor", rule.minor));
    if (rule.major && *rule.major < 0) rule.major.reset();  // -1: any, as runc reads it
    if (rule.minor && *rule.minor < 0) rule.minor.reset();
    EW_TRY(r.string(e, "access", path + ".access", rule.access));
    if (rule.access.empty() || rule.access.find_first_not_of("rwm") != std::string::npos) {
      return r.error(path + ".access", "must be letters of \"rwm\", got \"" + rule.access + "\"");
    }
    c.device_rules.push_back(std::move(rule));
    return {};
  });
}

edgeward::Status read_linux(const Reader& r, const json& root, OciConfig& c) {
  EW_ASSIGN(const json* linux_, r.object(root, "linux", "linux"));
  if (!linux_) return {};
  EW_TRY(read_namespaces(r, *linux_, c));
  EW_TRY(r.string(*linux_, "cgroupsPath", "linux.cgroupsPath", c.cgroups_path));
  EW_TRY(read_linux_fs(r, *linux_, c));
  EW_ASSIGN(const json* res, r.object(*linux_, "resources", "linux.resources"));
  if (!res) return {};
  EW_TRY(read_device_rules(r, *res, c));
  EW_ASSIGN(const json* mem, r.object(*res, "memory", "linux.resources.memory"));
  if (mem) EW_TRY(r.integer(*mem, "limit", "linux.resources.memory.limit", c.memory_limit));
  EW_ASSIGN(const json* cpu, r.object(*res, "cpu", "linux.resources.cpu"));
  if (cpu) {
    EW_TRY(r.integer(*cpu, "shares", "linux.resources.cpu.shares", c.cpu_shares));
    EW_TRY(r.integer(*cpu, "quota", "linux.resources.cpu.quota", c.cpu_quota));
    EW_TRY(r.integer(*cpu, "period", "linux.resources.cpu.period", c.cpu_period));
  }
  EW_ASSIGN(const json* pids, r.object(*res, "pids", "linux.resources.pids"));
  if (pids) EW_TRY(r.integer(*pids, "limit", "linux.resources.pids.limit", c.pids_limit));
  return {};
}

}  // namespace

Result<OciConfig> parse_oci_config(std::string_view text, std::string_view source) {
  const Reader r{std::string(source)};
  if (text.size() > kMaxConfigBytes) return r.error("(document)", "larger than 1 MiB");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return r.error("(document)", std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) return r.type_error("(document)", "an object", doc);
  OciConfig c;
  EW_TRY(r.string(doc, "ociVersion", "ociVersion", c.oci_version));
  if (c.oci_version.empty()) return r.error("ociVersion", "missing (e.g. \"1.0.2\")");
  if (c.oci_version[0] != '1') return r.error("ociVersion", "\"" + c.oci_version + "\" is not a 1.x runtime-spec version");
  EW_TRY(read_process(r, doc, c));
  EW_TRY(read_process_fields(doc.at("process"), std::string(source), c.process_fields));
  EW_TRY(read_root(r, doc, c));
  EW_TRY(r.string(doc, "hostname", "hostname", c.hostname));
  EW_TRY(read_annotations(r, doc, c));
  EW_TRY(read_mounts(r, doc, c));
  EW_TRY(read_linux(r, doc, c));
  EW_TRY(read_hooks(doc, std::string(source), c.hooks));
  if (const json* l = Reader::member(doc, "linux")) {
    EW_TRY(read_seccomp(*l, std::string(source), c.seccomp));
    EW_TRY(read_resources_extra(*l, std::string(source), c.resources));
  }
  return c;
}

Result<OciConfig> parse_oci_process(std::string_view text, std::string_view source) {
  const Reader r{std::string(source)};
  if (text.size() > kMaxConfigBytes) return r.error("(document)", "larger than 1 MiB");
  json doc;
  try {
    doc["process"] = json::parse(text);
  } catch (const json::exception& e) {
    return r.error("(document)", std::string("not valid JSON: ") + e.what());
  }
  OciConfig c;
  EW_TRY(read_process(r, doc, c));
  EW_TRY(read_process_fields(doc.at("process"), std::string(source), c.process_fields));
  return c;
}

}  // namespace edgeward::oci
