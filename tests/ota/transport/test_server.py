#!/usr/bin/env python3
"""Test HTTP(S) server for tests/ota/transport (stdlib only, 127.0.0.1 only).

Serves files from --root with single-range support (Range: bytes=N-) and misbehaves on
request through the query string: /NAME?fault=F&n=N
  close-after   announce the full length, send the body up to absolute byte n, then close
  wrong-range   206 whose Content-Range starts one byte after the requested offset
  ignore-range  always 200 with the whole file
  endless       200 without a length, then zeros until the client goes away
  slow          send n body bytes, then stall for 10 s
  header-flood  200 with ~150 KB of headers
  chunked       the normal answer in Transfer-Encoding: chunked
  redirect      302 to the same file without the fault
Prints the port on the first line of stdout. Every request is appended to --log as one JSON
line {"path", "fault", "range"} so tests can see what the client asked for. --cert/--key turn on
TLS; --client-ca also requires a client certificate signed by that CA.
"""
import argparse
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOG_LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the JSON log is what tests read
        pass

    def log_request_json(self, fault):
        entry = {"path": self.path, "fault": fault, "range": self.headers.get("Range")}
        with LOG_LOCK, open(ARGS.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        fault = query.get("fault", [""])[0]
        n = int(query.get("n", ["0"])[0])
        self.log_request_json(fault)
        path = os.path.join(ARGS.root, os.path.basename(url.path))
        if fault == "redirect":
            return self.reply_head(302, {"Location": url.path, "Content-Length": "0"})
        if fault == "header-flood":
            self.send_response(200)
            for i in range(2500):
                self.send_header("X-Flood-%d" % i, "a" * 60)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault == "endless":
            self.reply_head(200, {"Connection": "close"})
            block = b"\0" * 65536
            try:
                while True:
                    self.wfile.write(block)
            except OSError:
                return
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return self.reply_head(404, {"Content-Length": "0"})
        start = self.requested_offset()
        if fault == "ignore-range":
            start = None
        if start is not None and start >= len(data):
            return self.reply_head(416, {"Content-Range": "bytes */%d" % len(data), "Content-Length": "0"})
        first = start or 0
        headers = {}
        if start is not None or fault == "wrong-range":
            shown = first + 1 if fault == "wrong-range" else first
            headers["Content-Range"] = "bytes %d-%d/%d" % (shown, len(data) - 1, len(data))
        status = 206 if "Content-Range" in headers else 200
        body = data[first:]
        if fault == "chunked":
            headers["Transfer-Encoding"] = "chunked"
            self.reply_head(status, headers)
            pos, size = 0, 1
            while pos < len(body):
                piece = body[pos:pos + size]
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                pos += len(piece)
                size = size * 3 + 7
            self.wfile.write(b"0\r\n\r\n")
            return
        headers["Content-Length"] = str(len(body))
        self.reply_head(status, headers)
        if fault == "close-after":
            self.wfile.write(body[:max(0, n - first)])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "slow":
            self.wfile.write(body[:n])
            self.wfile.flush()
            time.sleep(10)
            body = body[n:]
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def requested_offset(self):
        r = self.headers.get("Range")
        if not r or not r.startswith("bytes=") or not r.endswith("-"):
            return None
        return int(r[len("bytes="):-1])

    def reply_head(self, status, headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def get_request(self):
        sock, addr = super().get_request()
        if ARGS.cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(ARGS.cert, ARGS.key)
            if ARGS.client_ca:
                ctx.verify_mode = ssl.CERT_REQUIRED
                ctx.load_verify_locations(ARGS.client_ca)
            sock = ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        pass  # refused handshakes and vanished clients are what the tests provoke


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--client-ca")
    ARGS = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
