#include "attest/identity/identity.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "attest/error.h"
#include "attest/fileio.h"

namespace edgeward::attest {

Result<DeviceIdentity> open_identity(const std::string& state_dir) {
  if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return make_error(Errc::kIo, state_dir + ": cannot create the state directory: " + std::strerror(errno));
  }
  DeviceIdentity id;
  EW_ASSIGN(auto fks, FileKeyStore::open_or_create(state_dir + "/device.key"));
  id.keys = std::move(fks);
  EW_ASSIGN(id.id, device_id(*id.keys));
  EW_ASSIGN(std::string csr, make_csr(id.keys->key(), "CN=" + id.id + ",O=edgeward device"));
  id.csr_path = state_dir + "/device.csr";
  EW_TRY(write_file_atomic(id.csr_path, csr, 0644));
  return id;
}

Result<std::string> enroll_device(const std::string& csr_pem, const PrivateKey& ca_key, const CertChain& ca_cert,
                                  int days) {
  EW_ASSIGN(ParsedCsr csr, parse_csr(csr_pem, "device CSR"));
  return issue_certificate(csr.key->get(), {csr.subject, Purpose::kDevice, validity_days(days)}, ca_key, &ca_cert);
}

Result<CertChain> load_device_cert(const std::string& state_dir, const KeyStore& keys) {
  const std::string path = state_dir + "/device.crt";
  auto cert = CertChain::load(path);
  if (!cert) {
    return std::move(cert).error().context("device certificate (enroll first: edgeward attest enroll, then install "
                                           "it as " + path + ")");
  }
  EW_ASSIGN(auto pub, keys.public_key_der());
  if (!cert->leaf_has_key(pub)) {
    return make_error(Errc::kUntrusted, path + ": certificate does not belong to this device's attestation key");
  }
  return cert;
}

}  // namespace edgeward::attest
