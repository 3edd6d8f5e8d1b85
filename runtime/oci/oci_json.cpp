#include "runtime/oci/oci_json.h"

#include <ctime>

#include <nlohmann/json.hpp>

#include "common/utc_time.h"
#include "runtime/sandbox/capabilities.h"

namespace edgeward::oci {
namespace {

using ojson = nlohmann::ordered_json;

}  // namespace

pid_t container_pid(const runtime::ContainerState& st) { return st.init_is_pid ? st.workload_pid : st.pid; }

std::string state_json(const runtime::ContainerState& st) {
  ojson j;
  j["ociVersion"] = kOciVersion;
  j["id"] = st.id;
  // runtime-spec knows creating/created/running/stopped; a stopped container has no pid.
  j["status"] = std::string(runtime::status_name(st.status));
  j["pid"] = st.status == runtime::Status::kStopped ? 0 : container_pid(st);
  j["bundle"] = st.bundle;
  j["annotations"] = st.annotations;
  j["rootfs"] = "";  // runc prints these too; podman reads only the fields above
  j["created"] = rfc3339_utc(st.created_unix);
  j["owner"] = "";
  if (st.exit_status) j["exitStatus"] = *st.exit_status;
  j["backend"] = st.backend == runtime::Backend::kVm ? "vm" : "sandbox";
  return j.dump(2) + "\n";
}

// The capabilities process.capabilities may give (sandbox/capabilities.h).
ojson offered_capabilities() {
  ojson caps = ojson::array();
  for (const auto& c : sandbox::kCapabilities) {
    if (c.refusal.empty()) caps.push_back(std::string(c.name));
  }
  return caps;
}

std::string features_json() {
  ojson j;
  j["ociVersionMin"] = "1.0.0";
  j["ociVersionMax"] = kOciVersion;
  j["hooks"] = {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"};
  j["mountOptions"] = ojson::array();
  j["linux"] = {{"namespaces", {"user", "mount", "pid", "ipc", "uts", "network"}},
                {"capabilities", offered_capabilities()},  // any other is refused
                {"cgroup", {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}}},
                // config.json's profile is applied on top of edgeward's own filter (docs/oci.md).
                {"seccomp", {{"enabled", true},
                             {"actions", {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                                          "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRAP"}},
                             {"operators", {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                                            "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}},
                             {"supportedFlags", {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                                 "SECCOMP_FILTER_FLAG_TSYNC"}}}},
                {"apparmor", {{"enabled", false}}},
                {"selinux", {{"enabled", false}}}};
  j["annotations"] = {{"io.edgeward.backends", "sandbox,vm"},
                      {"io.edgeward.honoured",
                       "process.args,process.env,process.cwd,process.terminal,process.user,root.path,root.readonly,hostname,"
                       "annotations,mounts,linux.namespaces,linux.resources.memory.limit,linux.resources.pids.limit,"
                       "process.rlimits,process.user.umask,process.noNewPrivileges,process.capabilities,"
                       "process.oomScoreAdj,process.consoleSize"}};
  return j.dump(2) + "\n";
}

std::string log_line(const std::string& level, const std::string& msg, bool json) {
  const std::string time = rfc3339_utc(static_cast<int64_t>(std::time(nullptr)));
  if (json) return ojson{{"level", level}, {"msg", msg}, {"time", time}}.dump() + "\n";
  return "time=\"" + time + "\" level=" + level + " msg=" + ojson(msg).dump() + "\n";
}

}  // namespace edgeward::oci
