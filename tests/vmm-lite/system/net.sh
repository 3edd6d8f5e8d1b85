#!/bin/sh
# vmm.system.net (x86_64 test host, run-in-testhost --script) and part of
# vmm.system.arm64.boot_gicv3 (arm64 test host, as a payload): a Linux guest's virtio_net driver
# through `edgeward vm run --net tap:ewtap0`. Everything happens in a network
# namespace this script creates (unshare -n), so no interface outside it is touched: there it
# makes the TAP ewtap0 (10.77.0.1/24) and serves 256 KiB of random bytes over HTTP on it; the guest
# (ew.net=10.77.0.2/24,10.77.0.1, scripts/make-guest-initramfs) pings the TAP's address and
# fetches the file. Prints EW-NET-TRANSFER ok when the guest got exactly the bytes served.
[ -n "${EW_NET_NS:-}" ] || exec env EW_NET_NS=1 unshare -n sh "$0"
set -e
ip link set lo up
tunctl -t ewtap0 >/dev/null
ip addr add 10.77.0.1/24 dev ewtap0
ip link set ewtap0 up
mkdir -p /tmp/www
dd if=/dev/urandom of=/tmp/www/blob bs=1024 count=256 2>/dev/null
httpd -p 10.77.0.1:8080 -h /tmp/www
want="bytes=262144 md5=$(md5sum </tmp/www/blob | cut -d' ' -f1)"
echo "EW-NET-HOST serving $want"
{
  timeout 110 edgeward vm run --kernel "$EW_KERNEL" --initrd "$EW_INITRD" --mem 256M \
    --cmdline "$EW_CMDLINE ew.net=10.77.0.2/24,10.77.0.1" --net tap:ewtap0
  echo $? >/tmp/vm.rc
} | tee /tmp/vm.out
rc=$(cat /tmp/vm.rc)
echo "EW-NET-VM-RC=$rc"
echo "EW-NET-TAP $(grep ewtap0 /proc/net/dev | tr -s ' ')"
if grep -q "EDGEWARD-NET-GOT $want" /tmp/vm.out; then
  echo "EW-NET-TRANSFER ok ($want)"
else
  echo "EW-NET-TRANSFER failed: the guest did not report $want"
  exit 1
fi
exit "$rc"
