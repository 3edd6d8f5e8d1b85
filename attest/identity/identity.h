// Device identity files in the state directory and enrollment:
//   device.key  attestation key (0600, FileKeyStore), generated on first start
//   device.csr  certificate signing request for the enrollment CA (subject CN=<device id>)
//   device.crt  device certificate issued by the enrollment CA (serverAuth), installed by the fleet
//   fleet-ca.crt the fleet root CA the device trusts (images, fleet-manager clients)
#pragma once

#include <memory>
#include <string>

#include "attest/crypto/cert.h"
#include "attest/identity/keystore.h"
#include "common/result.h"

namespace edgeward::attest {

struct DeviceIdentity {
  std::unique_ptr<KeyStore> keys;
  std::string id;
  std::string csr_path;
};

// Opens (or creates on first start) the attestation key under `state_dir` and writes the CSR.
Result<DeviceIdentity> open_identity(const std::string& state_dir);

// Fleet side: issues a device certificate for a CSR, signed by the enrollment CA.
Result<std::string> enroll_device(const std::string& csr_pem, const PrivateKey& ca_key, const CertChain& ca_cert,
                                  int days);

// The installed device certificate; checks that it belongs to the attestation key.
Result<CertChain> load_device_cert(const std::string& state_dir, const KeyStore& keys);

}  // namespace edgeward::attest
