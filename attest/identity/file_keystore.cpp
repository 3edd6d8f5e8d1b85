#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "attest/error.h"
#include "attest/fileio.h"
#include "attest/identity/keystore.h"

namespace edgeward::attest {

Result<std::unique_ptr<FileKeyStore>> FileKeyStore::open_or_create(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0) {
    if ((st.st_mode & 077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%03o", st.st_mode & 0777);
      return make_error(Errc::kUntrusted, path + ": attestation key is readable by group or others (mode " + mode +
                                              "); fix with chmod 600, or delete it to make a new identity");
    }
    EW_ASSIGN(PrivateKey key, PrivateKey::load(path));
    return std::make_unique<FileKeyStore>(std::move(key));
  }
  if (errno != ENOENT) return make_error(Errc::kIo, path + ": " + std::strerror(errno));
  EW_ASSIGN(PrivateKey key, PrivateKey::generate());
  EW_ASSIGN(std::string pem, key.to_pem());
  EW_TRY(write_file_atomic(path, pem, 0600));
  return std::make_unique<FileKeyStore>(std::move(key));
}

Result<std::string> device_id(const KeyStore& ks) {
  EW_ASSIGN(auto der, ks.public_key_der());
  const Digest d = sha256(der);
  return to_hex(std::span(d.data(), 16));
}

}  // namespace edgeward::attest
