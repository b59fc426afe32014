"""A loopback server answering with every Content-Encoding, for wget --warc-file."""
import gzip, zlib, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import brotli, zstandard

def page(title, extra=""):
    body = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>" + "".join(
                f"<p>Paragraph {i} of the page about {title}: the harbour authority said on Tuesday that the "
                f"ferry service between the two islands would resume after repairs to the pier. {extra}</p>"
                for i in range(8)) + "</article></body></html>")
    return body.encode("utf-8")

ENC = {
    "/br.html": ("br", lambda b: brotli.compress(b)),
    "/gzip.html": ("gzip", lambda b: gzip.compress(b)),
    "/deflate.html": ("deflate", lambda b: zlib.compress(b)),
    "/rawdeflate.html": ("deflate", lambda b: zlib.compressobj(6, zlib.DEFLATED, -15).compress(b) + zlib.compressobj(6, zlib.DEFLATED, -15).flush() if False else _raw(b)),
    "/zstd.html": ("zstd", lambda b: zstandard.ZstdCompressor().compress(b)),
    "/identity.html": (None, lambda b: b),
    "/chunked.html": ("chunked", lambda b: b),
    "/latin1-declared-utf8.html": (None, lambda b: b),
    "/index.html": (None, lambda b: b),
}

def _raw(b):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(b) + c.flush()

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/":
            path = "/index.html"
        if path not in ENC:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        enc, fn = ENC[path]
        if path == "/index.html":
            body = ("<html><body>" + "".join(f"<a href='{p}'>{p}</a> " for p in ENC if p != "/index.html") + "</body></html>").encode()
        elif path == "/latin1-declared-utf8.html":
            body = page("Café Zürich: naïve façade", "Straße, São Paulo, Kraków, Ærø.").replace(b"charset='utf-8'", b"charset='iso-8859-1'")
        else:
            body = page(path.strip("/").replace(".html", "").title() + " encoded page")
        self.send_response(200)
        ctype = "text/html; charset=iso-8859-1" if "latin1" in path else "text/html; charset=utf-8"
        self.send_header("Content-Type", ctype)
        if enc == "chunked":
            self.send_header("Transfer-Encoding", "chunked"); self.end_headers()
            for i in range(0, len(body), 300):
                part = body[i:i + 300]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n"); return
        data = fn(body)
        if enc:
            self.send_header("Content-Encoding", enc)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass

srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
