#!/usr/bin/env bash
# End to end through the real binary: `attest serve` on 127.0.0.1 (a free port), then
# `attest query` with the fleet client certificate (trusted verdict) and with the image signer's
# certificate (refused: not a fleet client). The device's OTA state is the one provisioned by
# cli.attest_ota_provision: the answer carries it and the verdict checks it. Args: WORKDIR BINARY
# [EMULATOR...]
set -euo pipefail
w=$1; shift
ew=("${@:2}" "$1")  # emulator (if any) first, then the binary
state=$w/state
digest=$("${ew[@]}" image inspect "$w/a.ewi" --json | sed -n 's/.*"manifest_digest": "\([0-9a-f]*\)".*/\1/p')
cat >"$w/ref-good.xml" <<XML
<reference schema="1">
  <runtime version="$("${ew[@]}" version --json | sed -n 's/.*"version": "\(.*\)".*/\1/p')"/>
  <image name="demo" digest="$digest"/>
</reference>
XML
log=$w/serve.log
"${ew[@]}" attest serve --port 0 --state "$state" --ota-state "$w/ota" --ca "$w/pki/ca.crt" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "serving attestation on" "$log" && break; sleep 0.1; done
addr=$(sed -n 's/^serving attestation on \([0-9.:]*\) .*/\1/p' "$log")
[ -n "$addr" ] || { echo "server did not start:"; cat "$log"; exit 1; }
out=$("${ew[@]}" attest query "$addr" --ref "$w/ref-good.xml" --ca "$w/pki/ca.crt" --cert "$w/pki/client.crt" \
      --key "$w/pki/client.key" --workload demo)
echo "$out"
grep -q "verdict: TRUSTED" <<<"$out" || { echo "expected a trusted verdict"; exit 1; }
grep -q "ok   runtime binary measured at boot is slot A" <<<"$out" || { echo "expected the OTA facts checked"; exit 1; }
if "${ew[@]}" attest query "$addr" --ref "$w/ref-good.xml" --ca "$w/pki/ca.crt" --cert "$w/pki/signer.crt" \
   --key "$w/pki/signer.key" 2>"$w/refused.txt"; then
  echo "a client without a fleet client certificate was answered"; exit 1
fi
grep -q "TLS handshake failed" "$w/refused.txt" || { echo "unexpected refusal:"; cat "$w/refused.txt"; exit 1; }
echo "refused: $(cat "$w/refused.txt")"
