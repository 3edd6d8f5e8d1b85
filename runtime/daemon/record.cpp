#include "runtime/daemon/record.h"

#include <dirent.h>
#include <unistd.h>

#include <charconv>

#include "attest/fileio.h"
#include "runtime/container/spec_json.h"
#include "runtime/daemon/protocol.h"

namespace edgeward::daemon {
namespace {

constexpr const char* kPrefix = "io.edgeward.";

template <typename Int>
bool parse_int(const std::string& s, Int& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

std::string encode_record(const WorkloadRecord& r) {
  runtime::ContainerSpec c;
  c.id = r.container_id;
  c.workload = r.spec;
  auto& a = c.annotations;
  const auto put = [&](const char* k, std::string v) { a[std::string(kPrefix) + k] = std::move(v); };
  put("format", "1");
  put("name", r.name);
  put("image", r.image);
  put("image_name", r.image_name);
  put("manifest_digest", r.manifest_digest);
  put("signer", r.signer);
  put("backend_reason", r.backend_reason);
  put("restart", r.restart);
  put("phase", r.phase);
  put("stopped_by_user", r.stopped_by_user ? "1" : "0");
  put("restarts", std::to_string(r.restarts));
  put("consecutive_failures", std::to_string(r.consecutive_failures));
  put("created_unix", std::to_string(r.created_unix));
  put("next_restart_unix_ms", std::to_string(r.next_restart_unix_ms));
  put("has_exit", r.has_exit ? "1" : "0");
  put("exit_status", std::to_string(r.exit_status));
  put("started_unix", std::to_string(r.started_unix));
  put("finished_unix", std::to_string(r.finished_unix));
  return runtime::spec_to_json(c) + "\n";
}

Result<WorkloadRecord> decode_record(const std::string& text) {
  EW_ASSIGN(runtime::ContainerSpec c, runtime::spec_from_json(text, "workload record"));
  const auto get = [&](const char* k) -> const std::string* {
    const auto it = c.annotations.find(std::string(kPrefix) + k);
    return it == c.annotations.end() ? nullptr : &it->second;
  };
  std::string missing;
  const auto str = [&](const char* k, std::string& out) {
    if (const std::string* v = get(k)) out = *v;
    else missing = k;
  };
  const auto num = [&](const char* k, auto& out) {
    const std::string* v = get(k);
    if (!v || !parse_int(*v, out)) missing = k;
  };
  const auto flag = [&](const char* k, bool& out) {
    const std::string* v = get(k);
    if (!v || (*v != "0" && *v != "1")) missing = k;
    else out = *v == "1";
  };
  int format = 0;
  num("format", format);
  if (!missing.empty() || format != 1) return Error::invalid("workload record: unknown format");
  WorkloadRecord r;
  r.container_id = c.id;
  r.spec = c.workload;
  str("name", r.name);
  str("image", r.image);
  str("image_name", r.image_name);
  str("manifest_digest", r.manifest_digest);
  str("signer", r.signer);
  str("backend_reason", r.backend_reason);
  str("restart", r.restart);
  str("phase", r.phase);
  flag("stopped_by_user", r.stopped_by_user);
  num("restarts", r.restarts);
  num("consecutive_failures", r.consecutive_failures);
  num("created_unix", r.created_unix);
  num("next_restart_unix_ms", r.next_restart_unix_ms);
  flag("has_exit", r.has_exit);
  num("exit_status", r.exit_status);
  num("started_unix", r.started_unix);
  num("finished_unix", r.finished_unix);
  if (!missing.empty()) return Error::invalid("workload record: field '" + missing + "' missing or malformed");
  if (!valid_name(r.name)) return Error::invalid("workload record has an invalid name");
  return r;
}

Status save_record(const std::string& dir, const WorkloadRecord& r) {
  return attest::write_file_atomic(dir + "/" + r.name + ".json", encode_record(r), 0600);
}

void delete_record(const std::string& dir, const std::string& name) { ::unlink((dir + "/" + name + ".json").c_str()); }

std::vector<WorkloadRecord> load_records(const std::string& dir, std::vector<std::string>& problems) {
  std::vector<WorkloadRecord> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    const std::string f = e->d_name;
    if (f.size() <= 5 || f.substr(f.size() - 5) != ".json") continue;
    auto text = attest::read_text_file(dir + "/" + f, 256 * 1024);
    auto r = text ? decode_record(*text) : Result<WorkloadRecord>(text.error());
    if (r && r->name + ".json" == f) {
      out.push_back(std::move(r).value());
    } else {
      problems.push_back(dir + "/" + f + ": " + (r ? "name does not match the file" : r.error().message));
    }
  }
  ::closedir(d);
  return out;
}

}  // namespace edgeward::daemon
