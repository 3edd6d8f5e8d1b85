#include "runtime/launch/launch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "attest/crypto/cert.h"
#include "attest/fileio.h"
#include "attest/image/image.h"
#include "attest/measure/launch.h"
#include "common/dir_tree.h"
#include "common/errno_error.h"
#include "common/text/scanner.h"
#include "common/unique_fd.h"

namespace edgeward::launch {
namespace {

const attest::Component* find(const attest::Manifest& m, attest::ComponentKind k) {
  for (const auto& c : m.components) {
    if (c.kind == k) return &c;
  }
  return nullptr;
}

// Copies a component out of the image, hashing what was copied against its signed digest.
Status extract(const std::string& image, const attest::Component& c, const std::string& dest) {
  if (c.digest_kind != attest::DigestKind::kSha256) return Error::unsupported("component " + c.name + ": only SHA-256 digested components can be extracted");
  EW_ASSIGN(attest::Fd in, attest::open_read(image));
  UniqueFd out(::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!out.valid()) return errno_error("creating " + dest);
  attest::Sha256 h;
  std::vector<uint8_t> buf(1 << 20);
  for (uint64_t pos = 0; pos < c.size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), c.size - pos));
    std::span<uint8_t> chunk(buf.data(), n);
    EW_TRY(attest::pread_exact(in, chunk, c.offset + pos, image));
    h.update(chunk);
    if (::write(out.get(), chunk.data(), n) != static_cast<ssize_t>(n)) return errno_error("writing " + dest);
    pos += n;
  }
  if (h.finish() != c.sha256) {
    return Error{ErrorCode::kPermission, "component " + c.name + " of " + image + " does not match its signed digest (changed after verification?)"};
  }
  return {};
}

// Whether this boot's event log already holds this image's manifest and this launch
// configuration: relaunching the same measured workload (a restart loop, a run/rm cycle) then
// adds nothing to the registers' meaning, and the log (attest::kMaxEvents per boot) stays free
// for launches that differ.
bool already_measured(const attest::MeasurementStore& store, const attest::Digest& manifest,
                      const attest::LaunchConfig& config) {
  const attest::Digest launch = attest::sha256(config.canonical());
  bool m = false, l = false;
  for (const auto& e : store.state().events) {
    m = m || (e.type == attest::EventType::kImageManifest && e.digest == manifest);
    l = l || (e.type == attest::EventType::kLaunchConfig && e.digest == launch);
  }
  return m && l;
}

std::vector<std::string> split_words(const std::string& s) {
  text::Scanner in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

Status prepare_sandbox(const LaunchOptions& o, const attest::Manifest& m, runtime::WorkloadSpec& w) {
  const attest::Component* archive = find(m, attest::ComponentKind::kRootfsArchive);
  w.argv = split_words(m.entry);
  if (w.argv.empty()) return Error::invalid("image " + m.name + " has no entry command for the sandbox");
  if (!m.sandbox_profile.empty() && m.sandbox_profile != "default") {
    return Error::unsupported("image " + m.name + " asks for sandbox profile '" + m.sandbox_profile + "'; only 'default' is built in");
  }
  w.rootfs = o.workdir + "/rootfs";
  EW_TRY(unpack_rootfs(o.image, *archive, w.rootfs, o.limits));
  for (const char* d : {"tmp", "dev", "proc"}) ::mkdirat(AT_FDCWD, (w.rootfs + "/" + d).c_str(), 0755);
  w.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/"};
  w.hostname = m.name.substr(0, 63);
  if (m.memory_bytes) w.memory_bytes = m.memory_bytes;
  w.net_host = m.network;
  return {};
}

Status prepare_vm(const LaunchOptions& o, const attest::Manifest& m, runtime::WorkloadSpec& w) {
  w.vm.kernel = o.workdir + "/kernel";
  EW_TRY(extract(o.image, *find(m, attest::ComponentKind::kKernel), w.vm.kernel));
  if (const attest::Component* initrd = find(m, attest::ComponentKind::kInitrd)) {
    w.vm.initrd = o.workdir + "/initrd";
    EW_TRY(extract(o.image, *initrd, w.vm.initrd));
  }
  w.vm.cmdline = m.kernel_cmdline;
  if (m.memory_bytes) w.vm.mem_bytes = m.memory_bytes;
  if (m.vcpus) w.vm.vcpus = m.vcpus;
  return {};
}

Result<PreparedLaunch> prepare(const LaunchOptions& o) {
  EW_ASSIGN(auto roots, attest::CertChain::load(o.ca_path));
  EW_ASSIGN(auto verified, attest::verify_image(o.image, roots, o.threads));
  const attest::Manifest& m = verified.manifest;
  EW_TRY(check_node_selector(m, o.node_labels));
  const bool has_kernel = find(m, attest::ComponentKind::kKernel) != nullptr;
  const bool has_archive = find(m, attest::ComponentKind::kRootfsArchive) != nullptr;
  const auto verdict = o.kvm_verdict ? o.kvm_verdict : [] { return KvmVerdict{false, "KVM was not calibrated"}; };
  EW_ASSIGN(BackendChoice choice, choose_backend(o.backend, has_kernel, has_archive, verdict));

  PreparedLaunch p;
  p.workload.backend = choice.backend;
  p.backend_reason = choice.reason;
  p.manifest = m;
  p.manifest_digest = attest::to_hex(verified.manifest_digest);
  p.signer = verified.signer;
  if (::mkdir(o.workdir.c_str(), 0700) != 0) return errno_error("creating the workload directory " + o.workdir);
  const bool vm = choice.backend == runtime::Backend::kVm;
  EW_TRY(vm ? prepare_vm(o, m, p.workload) : prepare_sandbox(o, m, p.workload));

  EW_ASSIGN(auto store, attest::MeasurementStore::open(o.attest_dir));
  const attest::LaunchConfig config = attest::launch_config_for(m, vm ? "kvm" : "sandbox");
  if (!already_measured(store, verified.manifest_digest, config)) {
    EW_TRY(attest::record_launch(store, m, verified.manifest_digest, config));
  }
  return p;
}

}  // namespace

Status check_node_selector(const attest::Manifest& m, const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& want : m.node_selector) {
    const std::string& k = want.first;
    const std::string& v = want.second;
    const auto it = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.first == k; });
    if (it == labels.end()) {
      return Error::invalid("image " + m.name + " needs node label " + k + "=" + v + "; this node has no label " + k);
    }
    if (it->second != v) {
      return Error::invalid("image " + m.name + " needs node label " + k + "=" + v + "; this node has " + k + "=" + it->second);
    }
  }
  return {};
}

Result<PreparedLaunch> launch_image(const LaunchOptions& options) {
  const bool existed = ::access(options.workdir.c_str(), F_OK) == 0;
  auto r = prepare(options);
  if (!r && !existed) {
    remove_tree(options.workdir);
  }
  return r;
}

}  // namespace edgeward::launch
