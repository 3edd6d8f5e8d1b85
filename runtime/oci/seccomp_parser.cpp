#include "runtime/oci/seccomp_parser.h"

#include <algorithm>

#include "runtime/oci/json_reader.h"

namespace edgeward::oci {
namespace {

using json = JsonReader::json;
constexpr size_t kMaxRules = 4096, kMaxNames = 1024, kMaxArgs = 6;
constexpr uint64_t kMaxErrno = 4095;

constexpr const char* kActions[] = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
                                    "SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY"};
constexpr const char* kOps[] = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"};
constexpr const char* kArches[] = {
    "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
    "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB"};
constexpr const char* kFlags[] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"};

template <size_t N>
bool known(const char* const (&names)[N], const std::string& s) {
  return std::find_if(std::begin(names), std::end(names), [&](const char* n) { return s == n; }) != std::end(names);
}

// An action: known, and one edgeward can apply.
edgeward::Status read_action(const JsonReader& r, const json* v, const std::string& path, std::string& out) {
  if (!v) return r.error(path, "missing (e.g. \"SCMP_ACT_ERRNO\")");
  EW_TRY(r.text(*v, path, out));
  if (!known(kActions, out)) return r.error(path, "unknown action \"" + out + "\"");
  if (out == "SCMP_ACT_TRACE") {
    return Error::unsupported(r.error(path, "SCMP_ACT_TRACE is not supported: edgeward's supervisor is the "
                                            "workload's tracer; use SCMP_ACT_ERRNO or SCMP_ACT_KILL_PROCESS").message);
  }
  if (out == "SCMP_ACT_NOTIFY") {
    return Error::unsupported(r.error(path, "SCMP_ACT_NOTIFY is not supported (no seccomp agent: edgeward's "
                                            "supervisor answers the workload's notifications itself)").message);
  }
  return {};
}

edgeward::Status read_errno(const JsonReader& r, const json& j, const char* key, const std::string& path,
                            std::optional<uint32_t>& out) {
  const json* v = JsonReader::member(j, key);
  if (!v) return {};
  uint64_t e = 0;
  EW_TRY(r.uint(*v, path, 1, kMaxErrno, e));
  out = static_cast<uint32_t>(e);
  return {};
}

edgeward::Status read_arg(const JsonReader& r, const json& a, const std::string& path, sandbox::SeccompArg& out) {
  if (!a.is_object()) return r.type_error(path, "an object", a);
  const json* index = JsonReader::member(a, "index");
  const json* op = JsonReader::member(a, "op");
  if (!index) return r.error(path + ".index", "missing (0 .. 5)");
  if (!op) return r.error(path + ".op", "missing (e.g. \"SCMP_CMP_EQ\")");
  uint64_t i = 0;
  EW_TRY(r.uint(*index, path + ".index", 0, 5, i));
  out.index = static_cast<uint32_t>(i);
  for (const auto& [key, field] : {std::pair{"value", &out.value}, std::pair{"valueTwo", &out.value_two}}) {
    if (const json* v = JsonReader::member(a, key)) EW_TRY(r.uint(*v, path + "." + key, 0, UINT64_MAX, *field));
  }
  EW_TRY(r.text(*op, path + ".op", out.op));
  if (!known(kOps, out.op)) return r.error(path + ".op", "unknown operator \"" + out.op + "\"");
  return {};
}

edgeward::Status read_rule(const JsonReader& r, const json& s, const std::string& path, sandbox::SeccompRule& out) {
  if (!s.is_object()) return r.type_error(path, "an object", s);
  EW_TRY(r.texts(s, "names", path + ".names", out.names, kMaxNames));
  if (out.names.empty()) return r.error(path + ".names", "missing or empty: name the syscalls the rule is for");
  EW_TRY(read_action(r, JsonReader::member(s, "action"), path + ".action", out.action));
  EW_TRY(read_errno(r, s, "errnoRet", path + ".errnoRet", out.errno_ret));
  if (out.errno_ret && out.action != "SCMP_ACT_ERRNO") return r.error(path + ".errnoRet", "only for SCMP_ACT_ERRNO");
  return r.each(s, "args", path + ".args", kMaxArgs, [&](const json& a, const std::string& at) {
    out.args.emplace_back();
    return read_arg(r, a, at, out.args.back());
  });
}

}  // namespace

edgeward::Status read_seccomp(const json& linux_, const std::string& source, std::optional<sandbox::SeccompProfile>& out) {
  const JsonReader r(source);
  const json* s = JsonReader::member(linux_, "seccomp");
  if (!s) return {};
  if (!s->is_object()) return r.type_error("linux.seccomp", "an object", *s);
  sandbox::SeccompProfile p;
  EW_TRY(read_action(r, JsonReader::member(*s, "defaultAction"), "linux.seccomp.defaultAction", p.default_action));
  EW_TRY(read_errno(r, *s, "defaultErrnoRet", "linux.seccomp.defaultErrnoRet", p.default_errno_ret));
  if (p.default_errno_ret && p.default_action != "SCMP_ACT_ERRNO") {
    return r.error("linux.seccomp.defaultErrnoRet", "only for defaultAction SCMP_ACT_ERRNO");
  }
  EW_TRY(r.texts(*s, "architectures", "linux.seccomp.architectures", p.architectures, 64));
  for (size_t i = 0; i < p.architectures.size(); ++i) {
    if (!known(kArches, p.architectures[i])) {
      return r.error("linux.seccomp.architectures[" + std::to_string(i) + "]", "unknown architecture \"" + p.architectures[i] + "\"");
    }
  }
  EW_TRY(r.texts(*s, "flags", "linux.seccomp.flags", p.flags, 16));
  for (size_t i = 0; i < p.flags.size(); ++i) {
    if (!known(kFlags, p.flags[i])) {
      return r.error("linux.seccomp.flags[" + std::to_string(i) + "]",
                     "\"" + p.flags[i] + "\" is not supported (known: SECCOMP_FILTER_FLAG_TSYNC, _LOG, _SPEC_ALLOW)");
    }
  }
  std::string listener;
  if (const json* l = JsonReader::member(*s, "listenerPath")) EW_TRY(r.text(*l, "linux.seccomp.listenerPath", listener));
  if (!listener.empty()) {
    return Error::unsupported(r.error("linux.seccomp.listenerPath", "seccomp agents are not supported (edgeward's "
                                      "supervisor answers the workload's notifications itself); leave it out").message);
  }
  EW_TRY(r.each(*s, "syscalls", "linux.seccomp.syscalls", kMaxRules, [&](const json& rule, const std::string& at) {
    p.syscalls.emplace_back();
    return read_rule(r, rule, at, p.syscalls.back());
  }));
  out = std::move(p);
  return {};
}

}  // namespace edgeward::oci
