#!/usr/bin/env python3
"""A static HTTP server for the OTA client test: serves DIR on 127.0.0.1 at a free port (written
to PORTFILE once listening), over TLS when CERT and KEY are given. While DIR/ENDLESS exists,
metadata/timestamp.json is answered with an endless body (no Content-Length), as a hostile server
would. Usage: serve.py DIR PORTFILE [CERT KEY]"""
import http.server
import os
import ssl
import sys

root, portfile = sys.argv[1], sys.argv[2]


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=root, **kw)

    def log_message(self, *a):
        pass

    def do_GET(self):
        if self.path.endswith("/metadata/timestamp.json") and os.path.exists(os.path.join(root, "ENDLESS")):
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b" " * 65536)
            except OSError:
                return
        super().do_GET()


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) == 5:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
