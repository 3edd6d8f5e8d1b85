// Build-time generator (a host tool, built with the build host's compiler and libseccomp): compiles
// every role's policy to classic BPF for the target arch and writes them as a C++ source the VMM
// embeds, so the VMM installs filters without compiling them at run time.
//   seccomp_gen <libseccomp arch name, e.g. aarch64> <output.cpp>
#include <seccomp.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "vmm-lite/jail/seccomp_compiler.h"

namespace {

using edgeward::vmm::jail::Role;
namespace jail = edgeward::vmm::jail;

// The compiler's predefined macro for each arch the build supports: the generated source refuses
// to compile for another arch.
const char* arch_macro(const std::string& arch) {
  if (arch == "x86_64") return "__x86_64__";
  if (arch == "aarch64") return "__aarch64__";
  return nullptr;
}

// The generated source is compiled for the target: it asserts the argument values this build
// host's headers gave the rules are the target's.
void assert_same(std::ostream& out, const std::string& name, unsigned long value) {
  out << "static_assert(" << name << " == 0x" << std::hex << value << std::dec
      << "ul, \"the build host's headers disagree with the target's\");\n";
}

template <size_t N>
void assert_same(std::ostream& out, const std::string& name, const unsigned long (&values)[N]) {
  for (size_t i = 0; i < N; ++i) assert_same(out, name + "[" + std::to_string(i) + "]", values[i]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: seccomp_gen <arch: x86_64|aarch64> <output.cpp>\n";
    return 2;
  }
  const std::string arch_name = argv[1];
  const uint32_t arch = seccomp_arch_resolve_name(arch_name.c_str());
  const char* macro = arch_macro(arch_name);
  if (arch == 0 || macro == nullptr) {
    std::cerr << "seccomp_gen: unsupported target arch '" << arch_name << "' (x86_64 or aarch64)\n";
    return 2;
  }
  // The programs run on the target's kernel, not this one: libseccomp must not probe the build
  // host's kernel for the actions it supports (a container or qemu-user may have no seccomp(2)).
  // Level 3 has SECCOMP_RET_KILL_PROCESS (Linux 4.14), the only action the programs use.
  if (seccomp_api_set(3) != 0) {
    std::cerr << "seccomp_gen: libseccomp refused API level 3\n";
    return 1;
  }
  const std::string version = jail::libseccomp_version();

  std::ofstream out(argv[2], std::ios::trunc);
  out << "// Generated at build time by vmm-lite/jail/seccomp_gen.cpp from vmm-lite/jail/seccomp_policy.cpp\n"
      << "// for " << arch_name << " with libseccomp " << version << ". Do not edit.\n"
      << "#include \"vmm-lite/jail/seccomp_programs.h\"\n\n"
      << "#ifndef " << macro << "\n#error \"seccomp programs generated for " << arch_name << "\"\n#endif\n\n"
      << "namespace edgeward::vmm::jail::generated {\n\n";
  assert_same(out, "kVcpuIoctlCmds", jail::kVcpuIoctlCmds);
  assert_same(out, "kTermiosIoctlCmds", jail::kTermiosIoctlCmds);
  assert_same(out, "kExecProt", jail::kExecProt);
  out << "\nconst char kLibseccompVersion[] = \"" << version << "\";\n";
  for (Role role : jail::kRoles) {
    auto program = jail::compile_with_libseccomp(role, arch);
    if (!program) {
      std::cerr << "seccomp_gen: the " << jail::role_name(role) << " role for " << arch_name << ": "
                << program.error().message << "\n";
      out.close();
      std::remove(argv[2]);
      return 1;
    }
    out << "\nstatic const sock_filter k_" << jail::role_name(role) << "[] = {\n";
    for (const sock_filter& f : *program) {
      out << "    {0x" << std::hex << f.code << ", " << std::dec << unsigned{f.jt} << ", " << unsigned{f.jf}
          << ", 0x" << std::hex << f.k << std::dec << "},\n";
    }
    out << "};\n";
  }
  out << "\n// In kRoles order.\nstatic const std::span<const sock_filter> kPrograms[] = {";
  for (Role role : jail::kRoles) out << "k_" << jail::role_name(role) << (role == jail::kRoles[std::size(jail::kRoles) - 1] ? "" : ", ");
  out << "};\n\nstd::span<const sock_filter> program(Role role) {\n"
      << "  for (size_t i = 0; i < std::size(kRoles); ++i) {\n"
      << "    if (kRoles[i] == role) return kPrograms[i];\n  }\n  return {};\n}\n\n"
      << "}  // namespace edgeward::vmm::jail::generated\n";
  out.close();
  if (!out) {
    std::cerr << "seccomp_gen: writing " << argv[2] << " failed\n";
    std::remove(argv[2]);
    return 1;
  }
  return 0;
}
