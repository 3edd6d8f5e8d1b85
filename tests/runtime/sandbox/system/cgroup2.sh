# Runs inside the vmm-lite test host (tests/vmm-lite/system/run-in-testhost --script): the
# sandbox's memory and pids limits on a cgroup v2 hierarchy that holds both controllers (the
# development machine binds them to v1, so only the test host can show v2 for real).
# Prints EW-CG2-* lines that the ctest checks; exits non-zero when a limit did not hold.
set -eu
h=/cg2-host
# pivot_root cannot leave the initramfs (rootfs has no parent mount) and a chroot may not create
# user namespaces: the sandbox runs from a tmpfs moved over / (what switch_root does), as it
# would on an installed system.
mkdir -p $h
mount -t tmpfs tmpfs $h
mkdir -p $h/bin $h/proc $h/sys $h/dev $h/tmp $h/rootfs/bin $h/rootfs/tmp $h/rootfs/dev $h/rootfs/proc
cp /bin/busybox $h/bin/
cp /bin/busybox $h/rootfs/bin/
for a in sh awk sleep cat grep; do
  ln -s busybox $h/bin/$a
  ln -s busybox $h/rootfs/bin/$a
done
cp /payload/bin/edgeward $h/bin/
mount -t proc proc $h/proc
mount -t devtmpfs dev $h/dev
mount -t sysfs sys $h/sys
mount -t cgroup2 none $h/sys/fs/cgroup
echo "EW-CG2 controllers: $(cat $h/sys/fs/cgroup/cgroup.controllers)"
cat > $h/check.sh <<'INNER'
set -u
export PATH=/bin
status=0
# Memory: a string doubled until it no longer fits 24 MiB.
edgeward sandbox run --rootfs /rootfs --mem 24M --json -- /bin/awk 'BEGIN { s = "x"; while (1) s = s s }' >/tmp/mem.json 2>/tmp/mem.err
mode=$(grep -o '"mode": "[a-z0-9]*"' /tmp/mem.json || true)
oom=$(grep -o '"oom_killed": [a-z]*' /tmp/mem.json || true)
echo "EW-CG2-MEM $mode $oom"
[ "$mode" = '"mode": "v2"' ] && [ "$oom" = '"oom_killed": true' ] || { cat /tmp/mem.json /tmp/mem.err; status=1; }
# Pids: 12 background sleeps under a limit of 6 tasks (busybox sh stops at the refused fork).
forks='i=0; while [ $i -lt 12 ]; do sleep 1 & i=$((i+1)); done; wait'
edgeward sandbox run --rootfs /rootfs --pids 6 -- /bin/sh -c "$forks" >/tmp/pids.out 2>&1 && rc=0 || rc=$?
if grep -q "can't fork" /tmp/pids.out; then echo "EW-CG2-PIDS fork refused (exit $rc)"; else cat /tmp/pids.out; status=1; fi
# With room for them the same loop runs to the end.
edgeward sandbox run --rootfs /rootfs --pids 64 -- /bin/sh -c "$forks" >/tmp/free.out 2>&1 && rc=0 || rc=$?
if [ $rc = 0 ] && ! grep -q "can't fork" /tmp/free.out; then echo "EW-CG2-PIDS-FREE all forks ran"; else cat /tmp/free.out; status=1; fi
exit $status
INNER
cd $h
mount --move $h /
exec chroot . /bin/sh /check.sh
