// mbedTLS's send and receive callbacks over a connected socket descriptor, with the semantics of
// mbedtls_net_send / mbedtls_net_recv_timeout (and MSG_NOSIGNAL: a peer that hung up must not
// SIGPIPE us). Used instead of mbedTLS's net_sockets module: linking any of it links all of it,
// mbedtls_net_connect included, and with that glibc's getaddrinfo, NSS and static dlopen
// machinery — dead weight in a static binary that never resolves names.
#pragma once

#include <cstddef>
#include <cstdint>

namespace edgeward::attest {

// Bytes sent, or an MBEDTLS_ERR_SSL_WANT_WRITE / MBEDTLS_ERR_NET_* code.
int socket_send(int fd, const unsigned char* buf, size_t len);
// Bytes received (0 at the end), or MBEDTLS_ERR_SSL_TIMEOUT after `timeout_ms` (0: wait for
// ever), MBEDTLS_ERR_SSL_WANT_READ when interrupted, MBEDTLS_ERR_NET_* on failure.
int socket_recv_timeout(int fd, unsigned char* buf, size_t len, uint32_t timeout_ms);

}  // namespace edgeward::attest
