#!/usr/bin/env python3
"""Writes root.json and targets.json signed with an Ed25519 key by an implementation independent
of edgeward: Python's `cryptography` when it is installed, else the openssl command line.
Canonical JSON is written here from the OLPC rules (securesystemslib's encode_canonical).
Usage: ed25519_repo.py OUTDIR [openssl]  (prints the implementation used; "openssl" forces it)"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile


def canonical(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ",".join(canonical(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(canonical(k) + ":" + canonical(v[k]) for k in sorted(v)) + "}"
    raise ValueError("not canonical-JSON-able: %r" % (v,))


class CryptographySigner:
    name = "python-cryptography"

    def __init__(self):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        self.key = Ed25519PrivateKey.generate()
        self.public = self.key.public_key().public_bytes(serialization.Encoding.Raw,
                                                         serialization.PublicFormat.Raw)

    def sign(self, data):
        return self.key.sign(data)


class OpensslSigner:
    name = "openssl"

    def __init__(self):
        self.dir = tempfile.mkdtemp()
        self.pem = os.path.join(self.dir, "k.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", self.pem], check=True)
        der = subprocess.run(["openssl", "pkey", "-in", self.pem, "-pubout", "-outform", "DER"],
                             check=True, capture_output=True).stdout
        self.public = der[-32:]

    def sign(self, data):
        msg = os.path.join(self.dir, "msg")
        with open(msg, "wb") as f:
            f.write(data)
        return subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", self.pem, "-rawin", "-in", msg],
                              check=True, capture_output=True).stdout


def main():
    out = sys.argv[1]
    try:
        if sys.argv[2:] == ["openssl"]:
            raise ImportError("openssl requested")
        signer = CryptographySigner()
    except ImportError:
        signer = OpensslSigner()
    key = {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": signer.public.hex()}}
    keyid = hashlib.sha256(canonical(key).encode()).hexdigest()
    roles = {r: {"keyids": [keyid], "threshold": 1} for r in ("root", "targets", "snapshot", "timestamp")}
    root = {"_type": "root", "spec_version": "1.0.31", "version": 1, "expires": "2099-01-01T00:00:00Z",
            "consistent_snapshot": False, "keys": {keyid: key}, "roles": roles}
    targets = {"_type": "targets", "spec_version": "1.0.31", "version": 1, "expires": "2099-01-01T00:00:00Z",
               "targets": {"dir/app.bin": {"length": 3, "hashes": {"sha256": hashlib.sha256(b"abc").hexdigest()},
                                           "custom": {"note": "caf\u00e9 \"quoted\" back\\slash", "n": [1, [2]]}}}}
    for name, signed in (("root.json", root), ("targets.json", targets)):
        sig = signer.sign(canonical(signed).encode()).hex()
        doc = {"signed": signed, "signatures": [{"keyid": keyid, "sig": sig}]}
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
    print(signer.name)


if __name__ == "__main__":
    main()
