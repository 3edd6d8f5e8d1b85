// `edgeward attest evidence|verify|serve|query`: signed evidence, the mutual-TLS query server and
// the fleet verifier.
#include <nlohmann/json.hpp>

#include <csignal>

#include "attest/evidence/ota_facts.h"
#include "attest/fileio.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "attest/identity/identity.h"
#include "attest/server/server.h"
#include "attest/verifier/appraise.h"
#include "runtime/cli/attest_common.h"
#include "runtime/cli/attest_ota.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {
namespace {

const Option kState{"state", "DIR", "state directory (default <board data dir>/attest)"};
const Option kCa{"ca", "CA", "fleet root CA certificate (default <state>/fleet-ca.crt)"};

// Evidence for `req` from the device state in `dir` and the OTA state in `ota_dir` (read afresh
// for every request), signed by its attestation key.
struct Device {
  attest::DeviceIdentity id;
  attest::CertChain cert;
  std::string dir;
  std::string ota_dir;

  static Result<Device> open(const ParsedArgs& p) {
    Device d;
    d.dir = attest_state_dir(p);
    d.ota_dir = ota_state_dir(p);
    const std::string& dir = d.dir;
    EW_ASSIGN(d.id, attest::open_identity(dir));
    EW_ASSIGN(d.cert, attest::load_device_cert(dir, *d.id.keys));
    return d;
  }
  Result<std::vector<uint8_t>> evidence(const attest::Request& req) const {
    EW_ASSIGN(auto store, attest::MeasurementStore::open(dir));
    EW_ASSIGN(auto ota, attest::gather_ota_claims(ota_dir));
    return attest::make_evidence(*id.keys, cert, id.id, store.state(), req.nonce, req.workload, ota);
  }
};

int print_verdict(const attest::Verdict& v, bool json) {
  if (json) {
    nlohmann::ordered_json j{{"verdict", v.trusted ? "trusted" : "untrusted"},
                             {"failures", v.failures},
                             {"checks", v.checks},
                             {"device_id", v.claims.device_id},
                             {"device_certificate", v.device_subject},
                             {"board", v.claims.board},
                             {"runtime_version", v.claims.runtime.version},
                             {"boot_count", v.claims.boot_count},
                             {"counter", v.claims.counter},
                             {"events", v.claims.events.size()},
                             {"ota", ota_json(v.claims)}};
    text::out() << j.dump(2) << "\n";
  } else {
    text::out() << "verdict: " << (v.trusted ? "TRUSTED" : "UNTRUSTED") << "\ndevice:  " << v.claims.device_id << " ("
              << v.claims.board << ", edgeward " << v.claims.runtime.version << ", boot " << v.claims.boot_count
              << ")\n";
    print_ota(text::out(), v.claims);
    for (const auto& f : v.failures) text::out() << "  FAIL " << f << "\n";
    for (const auto& c : v.checks) text::out() << "  ok   " << c << "\n";
  }
  return v.trusted ? kExitOk : kExitFailed;
}

struct Appraisal {
  attest::Reference ref;
  attest::CertChain ca;
};

Result<Appraisal> load_appraisal(const ParsedArgs& p) {
  const auto ref = p.value("ref");
  if (!ref) return Error::invalid("needs --ref REFERENCE.xml");
  Appraisal a;
  EW_ASSIGN(a.ref, attest::load_reference(*ref));
  EW_ASSIGN(a.ca, attest::CertChain::load(fleet_ca_path(p)));
  return a;
}

}  // namespace

int attest_evidence(Args args) {
  const ArgParser parser("edgeward attest evidence --nonce HEX --out FILE [--workload NAME] [--state DIR] [--ota-state DIR]",
                         "Produce signed evidence locally (what 'attest serve' answers with).",
                         {kState, kOtaStateOption, {"nonce", "HEX", "challenge, 16..128 hex digits"}, {"out", "FILE", "evidence file"},
                          {"workload", "NAME", "workload filter"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  const auto out = parsed->value("out");
  if (!out) return report(Error::invalid("attest evidence needs --out FILE"));
  auto nonce = parse_nonce(parsed->value_or("nonce", ""));
  if (!nonce) return report(nonce.error());
  auto dev = Device::open(*parsed);
  if (!dev) return report(dev.error());
  auto ev = dev->evidence({*nonce, parsed->value_or("workload", "")});
  if (!ev) return report(ev.error());
  auto st = attest::write_file_atomic(*out, *ev);
  if (!st) return report(st.error());
  text::out() << "wrote " << *out << " (" << ev->size() << " bytes)\n";
  return kExitOk;
}

int attest_verify(Args args) {
  const ArgParser parser("edgeward attest verify EVIDENCE --nonce HEX --ref REFERENCE.xml [--ca CA] [--json]",
                         "Fleet verifier: check evidence (certificate chain, signature, nonce, event log replay)\n"
                         "and appraise it against reference values. Exit code 0 only for a trusted verdict.",
                         {{"nonce", "HEX", "the challenge that was sent"}, {"ref", "FILE", "reference values (XML)"}, kCa,
                          {"json", "", "print the verdict as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1) return report(Error::invalid("attest verify takes one EVIDENCE file"));
  auto nonce = parse_nonce(parsed->value_or("nonce", ""));
  if (!nonce) return report(nonce.error());
  auto a = load_appraisal(*parsed);
  if (!a) return report(a.error());
  auto bytes = attest::read_file(parsed->positional()[0], attest::kMaxEvidenceBytes);
  if (!bytes) return report(bytes.error());
  auto v = attest::appraise_evidence(*bytes, *nonce, a->ref, a->ca);
  if (!v) return report(v.error());
  return print_verdict(*v, parsed->flag("json"));
}

int attest_serve(Args args) {
  const ArgParser parser("edgeward attest serve --port N [--address IP] [--state DIR] [--ota-state DIR] [--ca CA]",
                         "Answer attestation queries over mutual TLS: clients must present a certificate from\n"
                         "the fleet CA (clientAuth). Runs until SIGINT/SIGTERM.",
                         {kState, kOtaStateOption, kCa, {"port", "N", "TCP port"}, {"address", "IP", "IPv4 address to bind (default 127.0.0.1)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto port = parse_uint(parsed->value_or("port", ""), 0, 65535, "--port");
  if (!port) return report(port.error());
  auto dev = Device::open(*parsed);
  if (!dev) return report(dev.error());
  auto ca = attest::CertChain::load(fleet_ca_path(*parsed));
  if (!ca) return report(ca.error());
  const Device& d = *dev;
  auto server = attest::QueryServer::create(parsed->value_or("address", "127.0.0.1"), static_cast<uint16_t>(*port),
                                            d.cert, d.id.keys->tls_key(), *ca,
                                            [&d](const attest::Request& r) { return d.evidence(r); });
  if (!server) return report(server.error());
  static std::atomic<bool> stop{false};
  std::signal(SIGINT, [](int) { stop = true; });
  std::signal(SIGTERM, [](int) { stop = true; });
  std::signal(SIGPIPE, SIG_IGN);
  text::out() << "serving attestation on " << parsed->value_or("address", "127.0.0.1") << ":" << (*server)->port()
            << " (device " << d.id.id << ")\n";
  text::out().flush();
  (*server)->serve(stop);
  const auto& s = (*server)->stats();
  text::out() << "stopped: " << s.answered.load() << " answered, " << s.refused.load() << " refused, "
              << s.dropped.load() << " dropped\n";
  return kExitOk;
}

int attest_query(Args args) {
  const ArgParser parser("edgeward attest query HOST:PORT --ref REFERENCE.xml --cert CERT --key KEY [--ca CA] [--json]",
                         "Fleet manager round trip: send a fresh nonce over mutual TLS, receive the device's\n"
                         "evidence, verify and appraise it. Exit code 0 only for a trusted verdict.",
                         {{"ref", "FILE", "reference values (XML)"}, kCa, {"cert", "CERT", "fleet client certificate"},
                          {"key", "KEY", "fleet client key"}, {"workload", "NAME", "ask about one workload"},
                          {"out", "FILE", "also save the evidence"}, {"json", "", "print the verdict as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1) return report(Error::invalid("attest query takes one HOST:PORT"));
  const auto cert_path = parsed->value("cert");
  const auto key_path = parsed->value("key");
  if (!cert_path || !key_path) return report(Error::invalid("attest query needs --cert and --key (fleet client identity)"));
  auto a = load_appraisal(*parsed);
  if (!a) return report(a.error());
  auto cert = attest::CertChain::load(*cert_path);
  if (!cert) return report(cert.error());
  auto key = attest::PrivateKey::load(*key_path);
  if (!key) return report(key.error());
  attest::QueryOptions o;
  o.host_port = parsed->positional()[0];
  o.client_cert = &*cert;
  o.client_key = key->pk();
  o.fleet_ca = &a->ca;
  o.request = {random_nonce(), parsed->value_or("workload", "")};
  std::signal(SIGPIPE, SIG_IGN);  // a server that drops us must give an error, not kill us
  auto ev = attest::query_evidence(o);
  if (!ev) return report(ev.error());
  if (auto out = parsed->value("out")) {
    if (auto st = attest::write_file_atomic(*out, *ev); !st) return report(st.error());
  }
  auto v = attest::appraise_evidence(*ev, o.request.nonce, a->ref, a->ca);
  if (!v) return report(v.error());
  return print_verdict(*v, parsed->flag("json"));
}

}  // namespace edgeward::cli
