# The in-host half of arm64-testhost (busybox sh, chrooted into the sandbox disk in the arm64 test
# host). /units holds one unit a line, "gtest BIN FILTER" or "cli NAME" (a case of /cli-cases.sh);
# WORKERS workers take them in order, each claiming a unit by mkdir (atomic), and print a unit's
# whole output when it ends (one cat: one write to the console), with "EW-UNIT <ms> <unit>". The
# summary needs TOTAL tests to have passed or skipped. Set by the caller: WORKERS, TOTAL,
# EW_SANDBOX_STRESS_PERCENT. Every process started costs ~25 ms under TCG: shell builtins where
# they can do.
set -u
export PATH=/bin
unit_timeout=300

# $ticks: 10 ms units since boot.
tick() { read -r t _ </proc/uptime; ticks=${t%.*}${t#*.}; ticks=${ticks#0}; }

# cli_case NAME EXIT STDOUT-ERE STDERR-ERE ARGS...: when NAME is $want, runs `edgeward ARGS` and
# checks its exit code and output (each joined into one line), as tests/run_cli.cmake does.
cli_case() {
  [ "$1" = "$want" ] || return 0
  name=$1 code=$2 out_re=$3 err_re=$4
  shift 4
  tick; t0=$ticks
  timeout 60 edgeward "$@" >cli.out 2>cli.err
  rc=$?
  tick; ms=$(( (ticks - t0) * 10 ))
  why=""
  [ "$rc" = "$code" ] || why="exit code $rc, expected $code. "
  [ -z "$out_re" ] || tr '\n' ' ' <cli.out | grep -qE -- "$out_re" || why="${why}stdout does not match: $out_re. "
  [ -z "$err_re" ] || tr '\n' ' ' <cli.err | grep -qE -- "$err_re" || why="${why}stderr does not match: $err_re. "
  if [ -z "$why" ]; then
    echo "[       OK ] cli.$name ($ms ms)"
    return
  fi
  echo "edgeward $*: $why"
  echo "--- stdout:"; cat cli.out
  echo "--- stderr:"; cat cli.err
  echo "[  FAILED  ] cli.$name ($ms ms)"
}

run_unit() {  # KIND A [B], output to $out
  case $1 in
    gtest)
      timeout "$unit_timeout" "$2" --gtest_filter="$3"
      rc=$?
      # 0: passed, 1: a test failed; anything else (124: timed out, 128+N: killed) did not finish.
      [ $rc -le 1 ] || echo "EW-SANDBOX-ARM64: $2 --gtest_filter=$3 did not finish (exit $rc)" ;;
    cli)
      want=$2
      mkdir "/tmp/cli.$2" && cd "/tmp/cli.$2" && [ -f /cli-cases.sh ] && . /cli-cases.sh
      cd / ;;
  esac
}

worker() {
  n=0
  while read -r kind a b; do
    n=$((n + 1))
    mkdir "/tmp/ew-claim/$n" 2>/dev/null || continue
    out=/tmp/ew-out/$n
    tick; t0=$ticks
    run_unit "$kind" "$a" "${b:-}" >"$out" 2>&1
    tick
    echo "EW-UNIT $(( (ticks - t0) * 10 )) $kind $a${b:+ $b}" >>"$out"
    cat "$out"
  done </units
}

summary() {
  cat /tmp/ew-out/* >/tmp/all
  rc=0
  grep -q '^\[  FAILED  \]' /tmp/all && rc=1
  if grep -B3 '^\[  SKIPPED \]' /tmp/all | grep -qi 'qemu-user\|ptrace is not available\|no seccomp'; then
    echo "EW-SANDBOX-ARM64: a test skipped for a qemu-user reason inside the test host"
    rc=1
  fi
  # One line per test with its time (gtest lists skipped and failed tests again at the end, without).
  ok=$(grep -c '^\[       OK \] [^ ]* (' /tmp/all) skipped=$(grep -c '^\[  SKIPPED \] [^ ]* (' /tmp/all)
  failed=$(grep -cE '^\[  FAILED  \] [^ ]*(, where .*)? \([0-9]+ ms\)$' /tmp/all)
  if [ $((ok + skipped)) != "$TOTAL" ]; then
    echo "EW-SANDBOX-ARM64: $((ok + skipped)) of $TOTAL tests passed or skipped"
    rc=1
  fi
  echo "EW-SANDBOX-ARM64: $ok passed, $skipped skipped, $failed failed, rc=$rc"
  exit $rc
}

mkdir -p /tmp/ew-claim /tmp/ew-out
echo "EW-SANDBOX-ARM64: $WORKERS workers, EW_SANDBOX_STRESS_PERCENT=$EW_SANDBOX_STRESS_PERCENT"
for w in $(seq "$WORKERS"); do worker "$w" & done
wait
summary
