#!/usr/bin/env python3
"""A loopback HTTP file server for the download tests.

    http_server.py ROOT LOG [--no-range] [--fail-request K] [--status CODE] [--port P]

Serves ROOT on 127.0.0.1 at port P (default: a free one), which it prints
on its first line.
Honours "Range: bytes=a-b" (206) unless --no-range; --fail-request K drops
the connection of the K-th request (from 1) after half of its body;
--status answers every request with CODE.  Appends "start end sent" per request to LOG.  Stops by itself after
120 s.
"""
import http.server
import os
import sys
import threading

args = sys.argv[1:]
root, log = args[0], args[1]
no_range = "--no-range" in args
fail_request = int(args[args.index("--fail-request") + 1]) if "--fail-request" in args else None
requests = 0
lock = threading.Lock()
status = int(args[args.index("--status") + 1]) if "--status" in args else None
port = int(args[args.index("--port") + 1]) if "--port" in args else 0


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        global requests
        with lock:
            requests += 1
            number = requests
        if status is not None:
            self.send_error(status)
            return
        path = os.path.join(root, os.path.basename(self.path))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        size = os.path.getsize(path)
        start, end = 0, size - 1
        header = self.headers.get("Range")
        partial = header is not None and not no_range and header.startswith("bytes=")
        if partial:
            a, _, b = header[6:].partition("-")
            start, end = int(a), min(int(b) if b else size - 1, size - 1)
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes" if not no_range else "none")
        self.end_headers()
        with open(path, "rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        sent = len(body)
        if number == fail_request and len(body) > 1:
            body = body[:len(body) // 2]
            sent = len(body)
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
        else:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                sent = 0
        with open(log, "a") as out:
            out.write("%d %d %d\n" % (start, end, sent))


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
print(server.server_address[1], flush=True)
threading.Timer(120, server.shutdown).start()
server.serve_forever()
