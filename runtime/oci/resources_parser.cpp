#include "runtime/oci/resources_parser.h"

#include "runtime/oci/json_reader.h"

namespace edgeward::oci {
namespace {

using json = JsonReader::json;

edgeward::Status read_int(const JsonReader& r, const json& j, const char* key, const std::string& path,
                          std::optional<int64_t>& out) {
  const json* v = JsonReader::member(j, key);
  if (!v) return {};
  if (!v->is_number_integer()) return r.type_error(path, "an integer", *v);
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return r.error(path, "out of range");
  out = v->get<int64_t>();
  return {};
}

// A cpuset list: "0-3,6", digits, ',' and '-' only.
edgeward::Status read_list(const JsonReader& r, const json& j, const char* key, const std::string& path, std::string& out) {
  const json* v = JsonReader::member(j, key);
  if (!v) return {};
  EW_TRY(r.text(*v, path, out));
  if (out.size() > 1024) return r.error(path, "longer than 1024 characters");
  for (char c : out) {
    if (!(c >= '0' && c <= '9') && c != ',' && c != '-') {
      return r.error(path, "\"" + out + "\" is not a cpuset list (e.g. \"0-3,6\")");
    }
  }
  return {};
}

}  // namespace

edgeward::Status read_resources_extra(const json& linux_, const std::string& source, OciResourcesExtra& out) {
  const JsonReader r(source);
  const json* res = JsonReader::member(linux_, "resources");
  if (!res || !res->is_object()) return {};  // the type is config_parser.cpp's error
  if (const json* mem = JsonReader::member(*res, "memory"); mem && mem->is_object()) {
    EW_TRY(read_int(r, *mem, "reservation", "linux.resources.memory.reservation", out.memory_reservation));
    EW_TRY(read_int(r, *mem, "swap", "linux.resources.memory.swap", out.memory_swap));
    if (const json* d = JsonReader::member(*mem, "disableOOMKiller")) {
      if (!d->is_boolean()) return r.type_error("linux.resources.memory.disableOOMKiller", "true or false", *d);
      out.disable_oom_killer = d->get<bool>();
    }
  }
  if (const json* cpu = JsonReader::member(*res, "cpu"); cpu && cpu->is_object()) {
    EW_TRY(read_list(r, *cpu, "cpus", "linux.resources.cpu.cpus", out.cpus));
    EW_TRY(read_list(r, *cpu, "mems", "linux.resources.cpu.mems", out.mems));
  }
  return {};
}

}  // namespace edgeward::oci
