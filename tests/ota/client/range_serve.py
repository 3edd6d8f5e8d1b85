#!/usr/bin/env python3
"""A static HTTP server with byte ranges for the chunked-delta test: serves DIR on 127.0.0.1 at a
free port (written to PORTFILE), answers "Range: bytes=A-B" / "bytes=A-" with 206, and appends
one line per response to LOG: "<path> <body bytes sent>". Faults for *.cblob and *.zpatch
requests (chunk blobs and runtime patches), read from
the file FAULT when it exists (one word): short (half the range, then close), endless (a 206
without Content-Length that never ends), flip (one byte of the body changed), slow (16 KiB every
20 ms), norange (a 200 with the whole file). Usage: range_serve.py DIR PORTFILE LOG FAULT"""
import http.server
import os
import re
import sys
import time

root, portfile, logfile, faultfile = sys.argv[1:5]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def note(self, n):
        with open(logfile, "a") as f:
            f.write("%s %d\n" % (self.path, n))

    def do_GET(self):
        path = os.path.realpath(os.path.join(root, self.path.lstrip("/")))
        if not path.startswith(os.path.realpath(root) + "/") or not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            return
        size = os.path.getsize(path)
        fault = open(faultfile).read().strip() if os.path.exists(faultfile) else ""
        if not path.endswith((".cblob", ".zpatch")):
            fault = ""
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if m and fault != "norange":
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) else size - 1
            b = min(b, size - 1)
            if a > b:
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                return
            with open(path, "rb") as f:  # only the range: blobs are large
                f.seek(a)
                body = f.read(b + 1 - a)
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (a, b, size))
        else:
            body = open(path, "rb").read()
            self.send_response(200)
        self.send_header("Connection", "close")
        if fault == "endless":
            self.end_headers()
            sent = 0
            try:
                while sent < 64 << 20:
                    self.wfile.write(b"\0" * 65536)
                    sent += 65536
            except OSError:
                pass
            self.note(sent)
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault == "short":
            body = body[:len(body) // 2]
        elif fault == "flip" and body:
            i = len(body) // 2
            body = body[:i] + bytes([body[i] ^ 0xFF]) + body[i + 1:]
        try:
            if fault == "slow":
                for i in range(0, len(body), 16384):
                    self.wfile.write(body[i:i + 16384])
                    self.wfile.flush()
                    time.sleep(0.02)
            else:
                self.wfile.write(body)
        except OSError:
            pass
        self.note(len(body))
        if fault == "short":
            self.close_connection = True


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
