// `edgeward attest identity|enroll|boot|measure|log`: device identity and measured launch.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <thread>

#include "attest/crypto/mbed.h"
#include "attest/fileio.h"
#include "attest/identity/identity.h"
#include "attest/image/image.h"
#include "attest/measure/launch.h"
#include "common/board/embedded_boards.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/attest_common.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {

std::string attest_state_dir(const ParsedArgs& p) {
  if (auto s = p.value("state")) return *s;
  auto b = board::resolve_board("");
  return (b ? b->storage.data_path : std::string("/var/lib/edgeward")) + "/attest";
}

std::string fleet_ca_path(const ParsedArgs& p) { return p.value_or("ca", attest_state_dir(p) + "/fleet-ca.crt"); }

Result<std::vector<uint8_t>> parse_nonce(const std::string& hex) {
  if (hex.size() < 16 || hex.size() > 128 || hex.size() % 2 != 0) {
    return Error::invalid("--nonce must be 16 to 128 hex digits (8 to 64 bytes), got " + std::to_string(hex.size()));
  }
  auto bytes = attest::bytes_from_hex(hex);
  if (!bytes) return Error::invalid("--nonce: '" + hex + "' is not hex");
  return std::move(*bytes);
}

std::vector<uint8_t> random_nonce() {
  std::vector<uint8_t> n(32);
  attest::Rng::fill(attest::Rng::thread_instance().self(), n.data(), n.size());
  return n;
}

namespace {

const Option kState{"state", "DIR", "state directory (default <board data dir>/attest)"};

}  // namespace

int attest_identity(Args args) {
  const ArgParser parser("edgeward attest identity [--state DIR]",
                         "Create the device attestation key on first use (ECDSA P-256, mode 0600), write a\n"
                         "CSR for enrollment, and print the device id.",
                         {kState});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto id = attest::open_identity(attest_state_dir(*parsed));
  if (!id) return report(id.error());
  text::out() << "device id: " << id->id << "\ncsr:       " << id->csr_path << "\n";
  return kExitOk;
}

int attest_enroll(Args args) {
  const ArgParser parser("edgeward attest enroll --csr CSR --ca-dir DIR --out CERT [--days N]",
                         "Fleet side: issue a device certificate for a device's CSR, signed by the enrollment\n"
                         "CA in DIR (ca.key, ca.crt as written by 'edgeward keys gen').",
                         {{"csr", "CSR", "the device's CSR (PEM)"},
                          {"ca-dir", "DIR", "directory with ca.key and ca.crt"},
                          {"out", "CERT", "where to write the device certificate"},
                          {"days", "N", "validity in days (default 365)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  const auto csr = parsed->value("csr");
  const auto dir = parsed->value("ca-dir");
  const auto out = parsed->value("out");
  if (!csr || !dir || !out) return report(Error::invalid("attest enroll needs --csr, --ca-dir and --out"));
  auto run = [&]() -> Status {
    EW_ASSIGN(std::string csr_pem, attest::read_text_file(*csr, 16 * 1024));
    EW_ASSIGN(auto ca_key, attest::PrivateKey::load(*dir + "/ca.key"));
    EW_ASSIGN(auto ca_cert, attest::CertChain::load(*dir + "/ca.crt"));
    EW_ASSIGN(uint64_t days, parse_uint(parsed->value_or("days", "365"), 1, 36500, "--days"));
    EW_ASSIGN(std::string pem, attest::enroll_device(csr_pem, ca_key, ca_cert, static_cast<int>(days)));
    return attest::write_file_atomic(*out, pem, 0644);
  };
  auto st = run();
  if (!st) return report(st.error());
  text::out() << "issued " << *out << "\n";
  return kExitOk;
}

int attest_boot(Args args) {
  const ArgParser parser("edgeward attest boot [--state DIR] [--slot NAME]",
                         "Start a new measured boot: measure this edgeward binary and the active OTA slot\n"
                         "(what the daemon does at start).",
                         {kState, {"slot", "NAME", "active OTA slot (default A)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto store = attest::MeasurementStore::open(attest_state_dir(*parsed));
  if (!store) return report(store.error());
  auto st = attest::record_boot(*store, "/proc/self/exe", parsed->value_or("slot", "A"));
  if (!st) return report(st.error());
  text::out() << "boot " << store->state().boot_count << " measured: runtime sha256:"
            << attest::to_hex(store->state().events[0].digest) << "\n";
  return kExitOk;
}

int attest_measure(Args args) {
  const ArgParser parser("edgeward attest measure IMAGE [--ca CA] [--state DIR] [--backend kvm|sandbox]",
                         "Verify a workload image and record its measured launch (manifest digest, component\n"
                         "digests, launch configuration) in the event log and registers, as the runtime does\n"
                         "before starting a workload.",
                         {kState, {"ca", "CA", "fleet root CA (default <state>/fleet-ca.crt)"},
                          {"backend", "NAME", "kvm or sandbox (default sandbox)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1) return report(Error::invalid("attest measure takes one IMAGE"));
  const std::string backend = parsed->value_or("backend", "sandbox");
  if (backend != "kvm" && backend != "sandbox") return report(Error::invalid("--backend must be kvm or sandbox"));
  auto roots = attest::CertChain::load(fleet_ca_path(*parsed));
  if (!roots) return report(roots.error());
  auto img = attest::verify_image(parsed->positional()[0], *roots, std::max(1u, std::thread::hardware_concurrency()));
  if (!img) return report(img.error());
  auto store = attest::MeasurementStore::open(attest_state_dir(*parsed));
  if (!store) return report(store.error());
  auto st = attest::record_launch(*store, img->manifest, img->manifest_digest,
                                  attest::launch_config_for(img->manifest, backend));
  if (!st) return report(st.error());
  text::out() << "measured " << img->manifest.name << " " << img->manifest.version << " (manifest sha256:"
            << attest::to_hex(img->manifest_digest) << "), " << store->state().events.size() << " events this boot\n";
  return kExitOk;
}

int attest_log(Args args) {
  const ArgParser parser("edgeward attest log [--state DIR] [--json]",
                         "Show the measurement registers and this boot's event log.", {kState, {"json", "", "print as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  // Reading never creates: a directory without measurements is an error, not an empty log.
  const std::string dir = attest_state_dir(*parsed);
  if (::access((dir + "/measurements.pb").c_str(), F_OK) != 0) {
    return report(Error::not_found(dir + " holds no measurements: nothing was measured on this device yet (the daemon "
                                   "measures at start; `edgeward attest boot` records a boot by hand)"));
  }
  auto store = attest::MeasurementStore::open(dir);
  if (!store) return report(store.error());
  const auto& s = store->state();
  if (parsed->flag("json")) {
    nlohmann::ordered_json regs = nlohmann::ordered_json::array(), events = nlohmann::ordered_json::array();
    for (const auto& r : s.registers) regs.push_back(attest::to_hex(r));
    for (const auto& e : s.events) {
      events.push_back({{"register", e.register_index}, {"type", attest::event_type_name(e.type)},
                        {"digest", attest::to_hex(e.digest)}, {"data", e.data}});
    }
    nlohmann::ordered_json j{{"boot_count", s.boot_count}, {"counter", s.counter}, {"registers", regs}, {"events", events}};
    text::out() << j.dump(2) << "\n";
    return kExitOk;
  }
  text::out() << "boot " << s.boot_count << ", counter " << s.counter << "\n";
  for (size_t i = 0; i < s.registers.size(); ++i) text::out() << "R" << i << " " << attest::to_hex(s.registers[i]) << "\n";
  for (const auto& e : s.events) {
    text::out() << "[" << e.register_index << "] " << attest::event_type_name(e.type) << " " << attest::to_hex(e.digest)
              << " " << e.data << "\n";
  }
  return kExitOk;
}

}  // namespace edgeward::cli
