# shellcheck shell=sh
# Sourced into the test-host script by `bench/vm_boot/run --phases` (not run on its own).
# phase NAME CMD...: boots CMD once under the test host's ftrace (KVM exit/entry events, with
# ew-boottime $EW_CLEAN: see --clean-memory) and prints
#   PHASE NAME setup S  firmware+decompress S  kernel S  total S  exits N
# setup: ew-boottime's fork of the VMM -> first guest instruction; firmware+decompress: -> first
# exit at a kernel virtual address (x86_64: rip 0xffffffff...; arm64: PC: 0xffff...); kernel: -> the guest's init marker (ew-boottime's
# figure).
phase() {
  name=$1
  shift
  t=/sys/kernel/tracing
  [ -d $t/events/kvm ] || mount -t tracefs nodev $t 2>/dev/null
  [ -d $t/events/kvm ] || { echo "PHASE $name: no tracefs with KVM events in the test host"; return; }
  echo 65536 >$t/buffer_size_kb
  echo >$t/trace
  echo 1 >$t/events/sched/sched_process_fork/enable
  echo 1 >$t/events/kvm/kvm_exit/enable
  echo 1 >$t/events/kvm/kvm_entry/enable
  echo 1 >$t/tracing_on
  # shellcheck disable=SC2086  # EW_CLEAN is "-m MIB" or empty
  marker=$(ew-boottime -t 90 ${EW_CLEAN:-} EDGEWARD-GUEST-OK -- "$@" | sed -n 's/.*marker_ns=\([0-9]*\).*/\1/p')
  echo 0 >$t/tracing_on
  sed 's/^.*\] [^ ]* *\([0-9.]*\): /\1 /' $t/trace | awk -v name="$name" -v marker="${marker:-0}" '
    # ew-boottime starts its clock right before it forks the VMM (after any -m memory touch).
    /sched_process_fork: comm=ew-boottime / && !t0 { t0 = $1 }
    /kvm_entry/ && !entry { entry = $1 }
    /kvm_exit:/ { exits++; if (!kernel && ($8 ~ /^0xffffffff/ || / PC: 0xffff/)) kernel = $1 }
    END {
      if (!t0 || !entry || !kernel || !marker) { printf "PHASE %s: incomplete trace\n", name; exit }
      end = t0 + marker / 1e9
      printf "PHASE %-8s setup %.2f s  firmware+decompress %.2f s  kernel %.2f s  total %.2f s  exits %d\n",
        name, entry - t0, kernel - entry, end - kernel, end - t0, exits }'
  echo 0 >$t/events/kvm/enable
  echo 0 >$t/events/sched/sched_process_fork/enable
}
