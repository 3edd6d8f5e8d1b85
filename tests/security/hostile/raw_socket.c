/* Raw, packet and netlink sockets, and inet sockets without network permission. */
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "hostile.h"

int main(void) {
  must_fail(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), "raw inet socket");
  must_fail(socket(AF_INET6, SOCK_RAW, IPPROTO_RAW), "raw inet6 socket");
  must_fail(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), "packet socket");
  must_fail(socket(AF_NETLINK, SOCK_RAW, 0), "netlink socket");
  must_fail(socket(AF_INET, SOCK_STREAM, 0), "tcp socket with network not allowed");
  return refused();
}
