// RAII owners for every mbedTLS context attest/ uses: init in the constructor, free in the
// destructor, never copied or moved (mbedTLS contexts hold internal pointers); heap-own them
// with std::unique_ptr when they must outlive a scope.
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/x509_csr.h>

namespace edgeward::attest {

template <typename T, void (*Init)(T*), void (*Free)(T*)>
class MbedContext {
 public:
  MbedContext() { Init(&ctx_); }
  ~MbedContext() { Free(&ctx_); }
  MbedContext(const MbedContext&) = delete;
  MbedContext& operator=(const MbedContext&) = delete;

  T* get() { return &ctx_; }
  const T* get() const { return &ctx_; }

 private:
  T ctx_;
};

using PkContext = MbedContext<mbedtls_pk_context, mbedtls_pk_init, mbedtls_pk_free>;
using X509Crt = MbedContext<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;
using X509Csr = MbedContext<mbedtls_x509_csr, mbedtls_x509_csr_init, mbedtls_x509_csr_free>;
using X509WriteCrt = MbedContext<mbedtls_x509write_cert, mbedtls_x509write_crt_init, mbedtls_x509write_crt_free>;
using X509WriteCsr = MbedContext<mbedtls_x509write_csr, mbedtls_x509write_csr_init, mbedtls_x509write_csr_free>;
using Sha256Context = MbedContext<mbedtls_sha256_context, mbedtls_sha256_init, mbedtls_sha256_free>;
using EntropyContext = MbedContext<mbedtls_entropy_context, mbedtls_entropy_init, mbedtls_entropy_free>;
using CtrDrbgContext = MbedContext<mbedtls_ctr_drbg_context, mbedtls_ctr_drbg_init, mbedtls_ctr_drbg_free>;
using SslContext = MbedContext<mbedtls_ssl_context, mbedtls_ssl_init, mbedtls_ssl_free>;
using SslConfig = MbedContext<mbedtls_ssl_config, mbedtls_ssl_config_init, mbedtls_ssl_config_free>;
using Mpi = MbedContext<mbedtls_mpi, mbedtls_mpi_init, mbedtls_mpi_free>;

// A seeded CTR-DRBG, one per thread (mbedTLS RNG contexts are not shared across threads).
// Aborts with a message if the system entropy source fails: nothing in attest/ can run without it.
class Rng {
 public:
  Rng();
  static Rng& thread_instance();
  // Suitable as the f_rng/p_rng pair of mbedTLS calls.
  static int fill(void* self, unsigned char* out, size_t len);
  void* self() { return this; }

 private:
  EntropyContext entropy_;
  CtrDrbgContext drbg_;
};

}  // namespace edgeward::attest
