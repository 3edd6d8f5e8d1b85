#include "attest/verifier/device_cache.h"

#include "attest/error.h"
#include "common/utc_time.h"

namespace edgeward::attest {
namespace {

std::string utc(int64_t t) { return format_utc(t, "%Y-%m-%d %H:%M:%S UTC"); }

}  // namespace

Result<std::shared_ptr<const DeviceCert>> DeviceCertCache::get(std::span<const uint8_t> der, int64_t now) {
  const Digest id = sha256(der);
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(id);
    if (it != entries_.end()) {
      if (it->second->window.contains(now)) return it->second;
      entries_.erase(it);  // outside its validity now: verify again (and fail with the reason)
    }
  }
  EW_ASSIGN(auto cert, verify(der, now));
  if (cert->chain.ok()) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= capacity_) entries_.clear();  // bound memory; a fleet re-fills it cheaply
    entries_[id] = cert;
  }
  return cert;
}

Result<std::shared_ptr<const DeviceCert>> DeviceCertCache::verify(std::span<const uint8_t> der, int64_t now) {
  EW_ASSIGN(CertChain chain, CertChain::parse(der, "device certificate"));
  auto d = std::make_shared<DeviceCert>();
  d->subject = chain.leaf_subject();
  {
    std::lock_guard lock(verify_mu_);
    d->chain = verify_chain(chain, fleet_ca_, Purpose::kDevice, "device certificate", &d->window);
  }
  if (d->chain.ok() && !d->window.contains(now)) {
    d->chain = make_error(Errc::kUntrusted, "device certificate '" + d->subject + "' is not valid at " + utc(now) +
                                                " (its chain is valid from " + utc(d->window.not_before) + " to " +
                                                utc(d->window.not_after) + ")");
  }
  // The key is prepared even when the chain failed, so the verdict can also say whether the
  // signature matches.
  if (auto key = ecdsa_key(&chain.get()->pk, "device certificate")) d->key = std::move(key).value();
  unsigned char buf[256];
  const int n = mbedtls_pk_write_pubkey_der(&chain.get()->pk, buf, sizeof buf);
  if (n > 0) {
    const Digest kd = sha256(std::span(buf + sizeof buf - n, static_cast<size_t>(n)));
    d->key_id = to_hex(std::span(kd.data(), 16));
  }
  return std::shared_ptr<const DeviceCert>(std::move(d));
}

size_t DeviceCertCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace edgeward::attest
