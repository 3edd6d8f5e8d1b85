/* edgeward's mbedTLS 2.28 configuration (MBEDTLS_CONFIG_FILE): what the static binary uses and
 * nothing else. scripts/build-mbedtls compiles Debian's source (apt-get source mbedtls) with it;
 * edgeward compiles against the headers of that build, so the two always agree.
 *
 * What edgeward does with mbedTLS (grep mbedtls_ in attest/, ota/):
 *   - TLS 1.2 server (attest serve) and client (attest query, OTA HTTPS), mutual auth, only
 *     ECDHE-ECDSA with AES-GCM (attest/server/tls.cpp kCiphersuites);
 *   - X.509: parse + verify chains (key usage, extended key usage), write certificates and CSRs,
 *     parse CSRs; PEM and DER; P-256 keys: generate, parse, write, ECDSA sign (deterministic) and
 *     verify; SHA-256; CTR_DRBG over the platform entropy; mbedtls_strerror for error texts.
 * Kept on purpose although edgeward never asks for them, so that what a user sees does not change:
 *   - RSA (PKCS#1 v1.5 and PSS) and the P-384 / P-521 curves: an RSA or P-384 key or certificate
 *     still parses and is then refused by edgeward's own checks with edgeward's own message
 *     ("not a P-256 key", the X.509 profile), and a CA chain with an RSA link still verifies where
 *     the default profile allows it (OTA HTTPS servers);
 *   - MD5, AES-CBC and PKCS#5: an AES-encrypted PEM / PKCS#8 key still says "password required";
 *   - SHA-1: the subject key identifier of written certificates, SHA-1 signatures in parsed ones;
 *   - the TLS extensions the Debian build negotiates (SNI, extended master secret, encrypt-then-
 *     MAC, session tickets, max fragment length, renegotiation info, fallback SCSV);
 *   - threading (one DRBG per thread, but a shared TLS configuration in the attest server).
 * Left out (Debian's build has them): TLS 1.0/1.1 and DTLS, every key exchange but ECDHE-ECDSA,
 * DES, ARC4, Blowfish, Camellia, ARIA, XTEA, ChaCha20/Poly1305, CCM, CMAC, the CFB/OFB/CTR/XTS
 * modes, MD2, MD4, RIPEMD-160, HKDF, DHM, HAVEGE, PKCS#12, CRLs, the test certificates (certs.c),
 * net_sockets (edgeward has its own socket callbacks), timing, debug, PSA, self-tests, the
 * session cache / cookies / ticket keys (never configured), ALPN, curves other than NIST P-256 /
 * P-384 / P-521. */
#ifndef EDGEWARD_MBEDTLS_CONFIG_H
#define EDGEWARD_MBEDTLS_CONFIG_H

/* System */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_DEPRECATED_WARNING /* as Debian's build: edgeward uses the 2.x *_ret names */
#define MBEDTLS_THREADING_C
#define MBEDTLS_THREADING_PTHREAD

/* Symmetric crypto: AES (AES-NI on x86_64) in GCM for TLS, CBC for encrypted PEM / PKCS#8 keys */
#define MBEDTLS_AES_C
#if defined(__x86_64__)
#define MBEDTLS_AESNI_C
#endif
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_CIPHER_PADDING_PKCS7
#define MBEDTLS_GCM_C

/* Hashes and MACs */
#define MBEDTLS_MD_C
#define MBEDTLS_MD5_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C

/* Random numbers */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_HMAC_DRBG_C /* deterministic ECDSA (RFC 6979) */

/* Public keys */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_SECP521R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDH_LEGACY_CONTEXT
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_PARSE_EC_EXTENDED
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_PK_RSA_ALT_SUPPORT
#define MBEDTLS_PKCS5_C

/* Encodings */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_OID_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PEM_WRITE_C

/* X.509 */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CSR_PARSE_C
#define MBEDTLS_X509_CREATE_C
#define MBEDTLS_X509_CRT_WRITE_C
#define MBEDTLS_X509_CSR_WRITE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT

/* TLS 1.2, ECDHE-ECDSA only */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
#define MBEDTLS_SSL_ENCRYPT_THEN_MAC
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_FALLBACK_SCSV
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#define MBEDTLS_SSL_RENEGOTIATION
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_SERVER_NAME_INDICATION

/* Error texts: edgeward's messages quote mbedtls_strerror */
#define MBEDTLS_ERROR_C

#include "mbedtls/check_config.h"

#endif /* EDGEWARD_MBEDTLS_CONFIG_H */
