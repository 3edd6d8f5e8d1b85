// `edgeward keys gen`: a development fleet PKI (root CA, image signer, fleet-manager client).
#include <sys/stat.h>

#include <cerrno>

#include "attest/crypto/cert.h"
#include "attest/fileio.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {
namespace {

Status write_key_and_cert(const std::string& dir, const std::string& name, const attest::PrivateKey& key,
                          const std::string& cert) {
  EW_ASSIGN(std::string pem, key.to_pem());
  EW_TRY(attest::write_file_atomic(dir + "/" + name + ".key", pem, 0600));
  return attest::write_file_atomic(dir + "/" + name + ".crt", cert, 0644);
}

Status keys_gen_run(const std::string& dir, int days) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Error::io(dir + ": cannot create directory");
  EW_ASSIGN(auto ca_key, attest::PrivateKey::generate());
  const attest::Validity v = attest::validity_days(days);
  EW_ASSIGN(std::string ca_pem, attest::issue_certificate(
                                    ca_key.pk(), {"CN=edgeward development fleet CA,O=edgeward", attest::Purpose::kCa, v},
                                    ca_key, nullptr));
  EW_ASSIGN(auto ca, attest::CertChain::parse(ca_pem, "fleet CA"));
  EW_TRY(write_key_and_cert(dir, "ca", ca_key, ca_pem));
  struct Leaf {
    const char* file;
    const char* subject;
    attest::Purpose purpose;
  };
  for (const Leaf& l : {Leaf{"signer", "CN=edgeward image signer,O=edgeward", attest::Purpose::kCodeSigning},
                        Leaf{"client", "CN=edgeward fleet manager,O=edgeward", attest::Purpose::kClient}}) {
    EW_ASSIGN(auto key, attest::PrivateKey::generate());
    EW_ASSIGN(std::string pem, attest::issue_certificate(key.pk(), {l.subject, l.purpose, v}, ca_key, &ca));
    EW_TRY(write_key_and_cert(dir, l.file, key, pem));
  }
  return {};
}

}  // namespace

int keys_gen(Args args) {
  const ArgParser parser("edgeward keys gen --out DIR [--days N]",
                         "Generate a development fleet PKI in DIR: ca.{key,crt} (fleet root CA, also the\n"
                         "enrollment CA), signer.{key,crt} (image signing), client.{key,crt} (fleet manager\n"
                         "TLS client). Keys are ECDSA P-256, written with mode 0600.",
                         {{"out", "DIR", "directory to write to (created if missing)"},
                          {"days", "N", "validity in days (default 365)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  const auto dir = parsed->value("out");
  if (!dir) return report(Error::invalid("keys gen needs --out DIR"));
  auto days = parse_uint(parsed->value_or("days", "365"), 1, 36500, "--days");
  if (!days) return report(days.error());
  auto st = keys_gen_run(*dir, static_cast<int>(*days));
  if (!st) return report(st.error());
  text::out() << "wrote " << *dir << "/{ca,signer,client}.{key,crt}\n";
  return kExitOk;
}

}  // namespace edgeward::cli
