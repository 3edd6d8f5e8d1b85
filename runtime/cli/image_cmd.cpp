// `edgeward image build|sign|verify|inspect`: signed workload images (attest/image/).
#include <nlohmann/json.hpp>

#include <thread>

#include "attest/fileio.h"
#include "attest/image/image.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {
namespace {

nlohmann::ordered_json manifest_json(const attest::Manifest& m, const attest::Digest& digest) {
  nlohmann::ordered_json comps = nlohmann::ordered_json::array();
  for (const auto& c : m.components) {
    nlohmann::ordered_json j{{"name", c.name},   {"kind", attest::kind_name(c.kind)}, {"offset", c.offset},
                             {"size", c.size},   {"digest", attest::to_hex(c.sha256)},
                             {"digest_kind", c.digest_kind == attest::DigestKind::kMerkle4k ? "sha256-merkle-4k" : "sha256"}};
    if (c.digest_kind == attest::DigestKind::kMerkle4k) j["tree_size"] = c.tree_size;
    comps.push_back(j);
  }
  nlohmann::ordered_json sel = nlohmann::ordered_json::object();
  for (const auto& [k, v] : m.node_selector) sel[k] = v;
  return {{"name", m.name},
          {"version", m.version},
          {"manifest_digest", attest::to_hex(digest)},
          {"components", comps},
          {"entry", m.entry},
          {"kernel_cmdline", m.kernel_cmdline},
          {"resources", {{"memory_bytes", m.memory_bytes}, {"vcpus", m.vcpus}}},
          {"sandbox", {{"profile", m.sandbox_profile}, {"network", m.network}}},
          {"node_selector", sel},
          {"created_unix", m.created_unix}};
}

void print_manifest(const attest::Manifest& m, const attest::Digest& digest) {
  text::out() << "image:     " << m.name << " " << m.version << "\nmanifest:  sha256:" << attest::to_hex(digest) << "\n";
  for (const auto& c : m.components) {
    text::out() << "component: " << c.name << " (" << attest::kind_name(c.kind) << ") " << c.size << " bytes "
              << (c.digest_kind == attest::DigestKind::kMerkle4k ? "merkle:" : "sha256:") << attest::to_hex(c.sha256)
              << "\n";
  }
  if (!m.entry.empty()) text::out() << "entry:     " << m.entry << "\n";
  text::out() << "resources: " << format_size(m.memory_bytes) << ", " << m.vcpus << " vCPU\n"
            << "sandbox:   profile " << (m.sandbox_profile.empty() ? "default" : m.sandbox_profile)
            << (m.network ? ", network" : ", no network") << "\n";
  for (const auto& [k, v] : m.node_selector) text::out() << "selector:  " << k << "=" << v << "\n";
}

unsigned threads_option(const ParsedArgs& p) {
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  auto t = parse_uint(p.value_or("threads", std::to_string(hw)), 1, 64, "--threads");
  return t ? static_cast<unsigned>(*t) : hw;
}

Result<attest::BuildSpec> build_spec(const ParsedArgs& p) {
  attest::BuildSpec spec;
  attest::Manifest& m = spec.manifest;
  m.name = p.value_or("name", "");
  if (m.name.empty()) return Error::invalid("image build needs --name NAME");
  m.version = p.value_or("version", "0.0.0");
  m.entry = p.value_or("entry", "");
  m.kernel_cmdline = p.value_or("cmdline", "");
  EW_ASSIGN(m.memory_bytes, parse_size(p.value_or("memory", "128MiB")));
  EW_ASSIGN(uint64_t vcpus, parse_uint(p.value_or("vcpus", "1"), 1, 256, "--vcpus"));
  m.vcpus = static_cast<uint32_t>(vcpus);
  m.sandbox_profile = p.value_or("sandbox-profile", "default");
  m.network = p.flag("network");
  m.created_unix = static_cast<uint64_t>(std::time(nullptr));
  const std::string sel = p.value_or("selector", "");
  for (size_t start = 0; start < sel.size();) {
    const size_t comma = std::min(sel.find(',', start), sel.size());
    const std::string item = sel.substr(start, comma - start);
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) return Error::invalid("--selector: '" + item + "' is not KEY=VALUE");
    m.node_selector.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    start = comma + 1;
  }
  const std::pair<const char*, attest::ComponentKind> kinds[] = {
      {"kernel", attest::ComponentKind::kKernel},
      {"initrd", attest::ComponentKind::kInitrd},
      {"rootfs-disk", attest::ComponentKind::kRootfsDisk},
      {"rootfs-archive", attest::ComponentKind::kRootfsArchive}};
  for (const auto& [opt, kind] : kinds) {
    if (auto path = p.value(opt)) spec.inputs.push_back({kind, opt, *path});
  }
  if (spec.inputs.empty()) return Error::invalid("image build needs at least one of --kernel, --initrd, --rootfs-disk, --rootfs-archive");
  spec.threads = threads_option(p);
  return spec;
}

}  // namespace

int image_build(Args args) {
  const ArgParser parser(
      "edgeward image build --out FILE --name NAME [components] [options]",
      "Build an unsigned workload image (.ewi). A rootfs disk image gets a Merkle tree over 4 KiB\n"
      "blocks; other components a SHA-256. Sign it with 'edgeward image sign'.",
      {{"out", "FILE", "image file to write"},
       {"name", "NAME", "workload name"},
       {"version", "VERSION", "workload version (default 0.0.0)"},
       {"kernel", "FILE", "Linux kernel for the microVM backend"},
       {"initrd", "FILE", "initramfs for the microVM backend"},
       {"rootfs-disk", "FILE", "raw rootfs disk image (virtio-blk)"},
       {"rootfs-archive", "FILE", "rootfs tree archive for the sandbox backend"},
       {"entry", "CMD", "command the sandbox runs"},
       {"cmdline", "TEXT", "kernel command line"},
       {"memory", "SIZE", "guest memory (default 128MiB)"},
       {"vcpus", "N", "vCPUs (default 1)"},
       {"sandbox-profile", "NAME", "sandbox seccomp profile (default 'default')"},
       {"network", "", "allow network access"},
       {"selector", "K=V,...", "node labels the node must have"},
       {"threads", "N", "hashing threads (default: all cores)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  const auto out = parsed->value("out");
  if (!out) return report(Error::invalid("image build needs --out FILE"));
  auto spec = build_spec(*parsed);
  if (!spec) return report(spec.error());
  auto m = attest::build_image(*spec, *out);
  if (!m) return report(m.error());
  text::out() << "built " << *out << " (unsigned): " << m->components.size() << " components\n";
  return kExitOk;
}

int image_sign(Args args) {
  const ArgParser parser("edgeward image sign IMAGE --key KEY --cert CERT",
                         "Sign a workload image in place with an ECDSA P-256 key; CERT (PEM, signer first,\n"
                         "then intermediates) is stored in the image.",
                         {{"key", "KEY", "signer private key (PEM)"}, {"cert", "CERT", "signer certificate chain (PEM)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1) return report(Error::invalid("image sign takes one IMAGE"));
  const auto key_path = parsed->value("key");
  const auto cert_path = parsed->value("cert");
  if (!key_path || !cert_path) return report(Error::invalid("image sign needs --key KEY and --cert CERT"));
  auto key = attest::PrivateKey::load(*key_path);
  if (!key) return report(key.error());
  auto certs = attest::read_text_file(*cert_path, 16 * 1024);
  if (!certs) return report(certs.error());
  auto st = attest::sign_image(parsed->positional()[0], *key, *certs);
  if (!st) return report(st.error());
  text::out() << "signed " << parsed->positional()[0] << "\n";
  return kExitOk;
}

int image_verify(Args args) {
  const ArgParser parser("edgeward image verify IMAGE --ca CA [--threads N] [--json]",
                         "Verify a workload image: signer certificate chain to the fleet CA (validity, key\n"
                         "usage), the manifest signature, the file layout and every component digest\n"
                         "(Merkle trees on all cores). Exit code 0 only if everything holds.",
                         {{"ca", "CA", "fleet root CA certificate (PEM)"},
                          {"threads", "N", "hashing threads (default: all cores)"},
                          {"json", "", "print the verified manifest as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1) return report(Error::invalid("image verify takes one IMAGE"));
  const auto ca_path = parsed->value("ca");
  if (!ca_path) return report(Error::invalid("image verify needs --ca CA (the fleet root CA certificate)"));
  auto roots = attest::CertChain::load(*ca_path);
  if (!roots) return report(roots.error());
  auto v = attest::verify_image(parsed->positional()[0], *roots, threads_option(*parsed));
  if (!v) return report(v.error());
  if (parsed->flag("json")) {
    auto j = manifest_json(v->manifest, v->manifest_digest);
    j["verified"] = true;
    j["signer"] = v->signer;
    text::out() << j.dump(2) << "\n";
  } else {
    text::out() << "verified: " << parsed->positional()[0] << "\nsigner:    " << v->signer << "\n";
    print_manifest(v->manifest, v->manifest_digest);
  }
  return kExitOk;
}

int image_inspect(Args args) {
  const ArgParser parser("edgeward image inspect IMAGE [--json]",
                         "Show an image's manifest without checking its signature or digests.",
                         {{"json", "", "print as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1) return report(Error::invalid("image inspect takes one IMAGE"));
  auto img = attest::inspect_image(parsed->positional()[0]);
  if (!img) return report(img.error());
  if (parsed->flag("json")) {
    auto j = manifest_json(img->manifest, img->manifest_digest);
    j["signed"] = img->signed_;
    j["signer_claimed"] = img->signer;
    text::out() << j.dump(2) << "\n";
  } else {
    print_manifest(img->manifest, img->manifest_digest);
    text::out() << "signature: " << (img->signed_ ? "present, claimed signer " + img->signer + " (not verified)" : "none")
              << "\n";
  }
  return kExitOk;
}

}  // namespace edgeward::cli
