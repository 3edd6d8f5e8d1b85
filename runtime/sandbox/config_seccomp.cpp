#include "runtime/sandbox/config_seccomp.h"

#include <sys/prctl.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>

namespace edgeward::sandbox {
namespace {

Result<uint32_t> action_of(const std::string& name, const std::optional<uint32_t>& errno_ret, const std::string& path) {
  if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  return Error::unsupported(path + ": action \"" + name + "\" is not supported in a container's profile");
}

Result<scmp_compare> op_of(const std::string& op, const std::string& path) {
  if (op == "SCMP_CMP_NE") return SCMP_CMP_NE;
  if (op == "SCMP_CMP_LT") return SCMP_CMP_LT;
  if (op == "SCMP_CMP_LE") return SCMP_CMP_LE;
  if (op == "SCMP_CMP_EQ") return SCMP_CMP_EQ;
  if (op == "SCMP_CMP_GE") return SCMP_CMP_GE;
  if (op == "SCMP_CMP_GT") return SCMP_CMP_GT;
  if (op == "SCMP_CMP_MASKED_EQ") return SCMP_CMP_MASKED_EQ;
  return Error::invalid(path + ": unknown operator \"" + op + "\"");
}

Status set_flags(scmp_filter_ctx ctx, const SeccompProfile& p) {
  for (const auto& f : p.flags) {
    int rc = 0;
    if (f == "SECCOMP_FILTER_FLAG_LOG") rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
    else if (f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
    else if (f == "SECCOMP_FILTER_FLAG_TSYNC") rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
    else return Error::unsupported("linux.seccomp.flags: \"" + f + "\" is not supported");
    if (rc != 0) return Error::unsupported("linux.seccomp.flags: " + f + " is not available here: " + std::strerror(-rc));
  }
  return {};
}

// One rule of the profile for syscall `nr`.
Status add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const SeccompRule& r, const std::string& path,
                const std::string& name) {
  std::vector<scmp_arg_cmp> conds;
  std::set<uint32_t> indexes;
  for (size_t i = 0; i < r.args.size(); ++i) {
    const SeccompArg& a = r.args[i];
    EW_ASSIGN(scmp_compare op, op_of(a.op, path + ".args[" + std::to_string(i) + "].op"));
    // MASKED_EQ: value is the mask, valueTwo the datum (as runc passes them to libseccomp).
    conds.push_back({a.index, op, a.value, a.value_two});
    indexes.insert(a.index);
  }
  int rc = 0;
  if (conds.empty() || indexes.size() == conds.size()) {
    rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(conds.size()), conds.empty() ? nullptr : conds.data());
  } else {
    for (const auto& c : conds) {  // libseccomp cannot AND two conditions on one argument: OR them
      if (rc == 0) rc = seccomp_rule_add_array(ctx, action, nr, 1, &c);
    }
  }
  if (rc != 0) return Error::invalid(path + ": libseccomp refused the rule for " + name + ": " + std::strerror(-rc));
  return {};
}

}  // namespace

Result<Filter> build_config_filter(const SeccompProfile& p) {
  EW_ASSIGN(const uint32_t def, action_of(p.default_action, p.default_errno_ret, "linux.seccomp.defaultAction"));
  scmp_filter_ctx raw = seccomp_init(def);
  if (!raw) return Error::unsupported("linux.seccomp: libseccomp cannot make a filter with defaultAction " + p.default_action);
  Filter filter(raw);
  if (seccomp_attr_set(raw, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0) {
    return Error::internal("seccomp: cannot set the bad-arch action");
  }
  EW_TRY(set_flags(raw, p));
  const int seccomp_nr = seccomp_syscall_resolve_name("seccomp");
  for (size_t i = 0; i < p.syscalls.size(); ++i) {
    const SeccompRule& r = p.syscalls[i];
    const std::string path = "linux.seccomp.syscalls[" + std::to_string(i) + "]";
    EW_ASSIGN(const uint32_t action, action_of(r.action, r.errno_ret, path + ".action"));
    if (action == def) continue;  // libseccomp refuses rules that change nothing
    for (const auto& name : r.names) {
      const int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR || nr < 0 || nr == seccomp_nr) continue;  // not on this arch; seccomp: below
      EW_TRY(add_rule(raw, action, nr, r, path, name));
    }
  }
  // What loading edgeward's filter after this one takes (libseccomp sets no_new_privs again first).
  if (def != SCMP_ACT_ALLOW &&
      (seccomp_rule_add(raw, SCMP_ACT_ALLOW, seccomp_nr, 0) != 0 ||
       seccomp_rule_add(raw, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS)) != 0)) {
    return Error::internal("seccomp: cannot let edgeward's own filter be loaded after the config's");
  }
  return filter;
}

}  // namespace edgeward::sandbox
