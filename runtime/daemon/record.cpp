#include "runtime/daemon/record.h"

#include <dirent.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "attest/fileio.h"
#include "runtime/daemon/protocol.h"

namespace edgeward::daemon {
namespace {

using nlohmann::json;

json spec_json(const runtime::WorkloadSpec& s) {
  return {{"backend", s.backend == runtime::Backend::kVm ? "vm" : "sandbox"},
          {"rootfs", s.rootfs},
          {"argv", s.argv},
          {"env", s.env},
          {"cwd", s.cwd},
          {"hostname", s.hostname},
          {"policy_file", s.policy_file},
          {"memory_bytes", s.memory_bytes},
          {"pids", s.pids},
          {"net_host", s.net_host},
          {"vm", {{"kernel", s.vm.kernel}, {"initrd", s.vm.initrd}, {"cmdline", s.vm.cmdline},
                  {"mem_bytes", s.vm.mem_bytes}, {"vcpus", s.vm.vcpus}}}};
}

runtime::WorkloadSpec spec_from(const json& j) {
  runtime::WorkloadSpec s;
  s.backend = j.at("backend").get<std::string>() == "vm" ? runtime::Backend::kVm : runtime::Backend::kSandbox;
  s.rootfs = j.at("rootfs").get<std::string>();
  s.argv = j.at("argv").get<std::vector<std::string>>();
  s.env = j.at("env").get<std::vector<std::string>>();
  s.cwd = j.at("cwd").get<std::string>();
  s.hostname = j.at("hostname").get<std::string>();
  s.policy_file = j.at("policy_file").get<std::string>();
  s.memory_bytes = j.at("memory_bytes").get<uint64_t>();
  s.pids = j.at("pids").get<uint64_t>();
  s.net_host = j.at("net_host").get<bool>();
  const json& vm = j.at("vm");
  s.vm.kernel = vm.at("kernel").get<std::string>();
  s.vm.initrd = vm.at("initrd").get<std::string>();
  s.vm.cmdline = vm.at("cmdline").get<std::string>();
  s.vm.mem_bytes = vm.at("mem_bytes").get<uint64_t>();
  s.vm.vcpus = vm.at("vcpus").get<uint32_t>();
  return s;
}

}  // namespace

std::string encode_record(const WorkloadRecord& r) {
  const json j{{"format", 1},
               {"name", r.name},
               {"image", r.image},
               {"image_name", r.image_name},
               {"manifest_digest", r.manifest_digest},
               {"signer", r.signer},
               {"backend_reason", r.backend_reason},
               {"restart", r.restart},
               {"container_id", r.container_id},
               {"phase", r.phase},
               {"stopped_by_user", r.stopped_by_user},
               {"restarts", r.restarts},
               {"consecutive_failures", r.consecutive_failures},
               {"created_unix", r.created_unix},
               {"next_restart_unix_ms", r.next_restart_unix_ms},
               {"has_exit", r.has_exit},
               {"exit_status", r.exit_status},
               {"finished_unix", r.finished_unix},
               {"spec", spec_json(r.spec)}};
  return j.dump(2) + "\n";
}

Result<WorkloadRecord> decode_record(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Error::invalid("workload record is not a JSON object");
  try {
    if (j.at("format").get<int>() != 1) return Error::invalid("workload record has an unknown format");
    WorkloadRecord r;
    r.name = j.at("name").get<std::string>();
    if (!valid_name(r.name)) return Error::invalid("workload record has an invalid name");
    r.image = j.at("image").get<std::string>();
    r.image_name = j.at("image_name").get<std::string>();
    r.manifest_digest = j.at("manifest_digest").get<std::string>();
    r.signer = j.at("signer").get<std::string>();
    r.backend_reason = j.at("backend_reason").get<std::string>();
    r.restart = j.at("restart").get<std::string>();
    r.container_id = j.at("container_id").get<std::string>();
    r.phase = j.at("phase").get<std::string>();
    r.stopped_by_user = j.at("stopped_by_user").get<bool>();
    r.restarts = j.at("restarts").get<uint32_t>();
    r.consecutive_failures = j.at("consecutive_failures").get<uint32_t>();
    r.created_unix = j.at("created_unix").get<int64_t>();
    r.next_restart_unix_ms = j.at("next_restart_unix_ms").get<int64_t>();
    r.has_exit = j.at("has_exit").get<bool>();
    r.exit_status = j.at("exit_status").get<int32_t>();
    r.finished_unix = j.at("finished_unix").get<int64_t>();
    r.spec = spec_from(j.at("spec"));
    return r;
  } catch (const json::exception& e) {
    return Error::invalid(std::string("workload record: ") + e.what());
  }
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
