"""Raw-socket pieces of the edge-case harness (loadtests/edge/edge-cases.sh): a logging upstream that parses
strictly and misbehaves on request, and a client that sends exact bytes and records what comes back.

Python 3 standard library only. Nothing here knows which proxy sits in between.
"""
import select
import socket
import threading
import time

# The response an attacker wants another client to receive (63 bytes, as in the review's reproduction).
INJECTED = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Injected: yes\r\n\r\nINJECTED"
MAX_HEAD = 64 * 1024


class Closed(Exception):
    """The peer closed the connection (or reset it) before what was asked for arrived."""


class Reader:
    """Buffered reads from a socket: up to a delimiter, or an exact count."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _more(self):
        try:
            data = self.sock.recv(65536)
        except (ConnectionError, OSError):
            data = b""
        if not data:
            raise Closed()
        self.buf += data

    def until(self, delim, limit=MAX_HEAD):
        while delim not in self.buf:
            if len(self.buf) > limit:
                raise ValueError("no %r within %d bytes" % (delim, limit))
            self._more()
        i = self.buf.index(delim) + len(delim)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def exact(self, n):
        while len(self.buf) < n:
            self._more()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


def _fields(lines):
    """Header lines (bytes, CRLF removed) as [name, value] pairs; a line that is not `name: value` raises."""
    out = []
    for raw in lines:
        if b"\r" in raw or b"\n" in raw or b":" not in raw or raw[:1] in (b" ", b"\t"):
            raise ValueError("malformed field line %r" % raw[:60])
        name, _, value = raw.partition(b":")
        out.append([name.decode("latin-1"), value.strip(b" \t").decode("latin-1")])
    return out


def header(fields, name):
    """Every value of header `name` (case-insensitive), in order."""
    return [v for n, v in fields if n.lower() == name.lower()]


# Scripted answers, by request path: what a faulty upstream sends instead of a plain 200, as (first write,
# second write, seconds between them).
FAULTS = {
    # A HEAD answered with a body: the head, then the first 20 bytes of another response, the rest 1 s later.
    "/c1-head": (b"HTTP/1.1 200 OK\r\nContent-Length: 63\r\n\r\n" + INJECTED[:20], INJECTED[20:], 1.0),
    # A 204 followed by bytes.
    "/c1-204": (b"HTTP/1.1 204 No Content\r\n\r\n" + INJECTED[:20], INJECTED[20:], 1.0),
    # A complete response, then a response nobody asked for 0.2 s later, on what is by then an idle connection.
    "/c1-late": (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", INJECTED, 0.2),
    # A 101 nobody asked for, then a response.
    "/c1-101": (b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" + INJECTED,
                b"", 0),
    # Content-Length and Transfer-Encoding together, disagreeing on where the body ends.
    "/c1-clte": (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                 b"", 0),
    # HTTP/1.0 has no chunked coding; asks to be kept alive all the same.
    "/c1-10chunked": (b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"5\r\nhello\r\n0\r\n\r\n", b"", 0),
}


class Upstream:
    """A raw-socket HTTP/1.1 upstream that records every request it receives, as it arrives: connection id,
    request line, header fields, body bytes, trailers, and whether the request was complete. A malformed
    head is recorded as `bad` and the connection closed. A Content-Length that is not all digits is read as 0
    (what a lenient upstream does) and recorded as sent, so a body smuggled past the proxy shows up as a
    second request."""

    def __init__(self, port):
        self.sock = socket.create_server(("127.0.0.1", port), backlog=256)
        self.lock = threading.Lock()
        self.log, self.open, self.ids = [], {}, 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            c, _ = self.sock.accept()
            with self.lock:
                self.ids += 1
                cid = self.ids
                self.open[cid] = c
            threading.Thread(target=self._serve, args=(cid, c), daemon=True).start()

    def mark(self):
        with self.lock:
            return len(self.log)

    def since(self, mark):
        with self.lock:
            return [dict(r) for r in self.log[mark:]]

    def drop_all(self):
        """Closes every upstream connection, so each case starts with empty proxy pools."""
        with self.lock:
            socks, self.open = list(self.open.values()), {}
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _record(self, **kw):
        with self.lock:
            self.log.append(kw)
            return kw

    def _serve(self, cid, sock):
        r = Reader(sock)
        rec = None
        try:
            while True:
                rec = None
                head = r.until(b"\r\n\r\n")
                lines = head[:-4].split(b"\r\n")
                try:
                    fields = _fields(lines[1:])
                    method, target, version = lines[0].decode("latin-1").split(" ")
                except ValueError:
                    self._record(conn=cid, bad=head[:80].decode("latin-1"))
                    sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                rec = self._record(conn=cid, line=lines[0].decode("latin-1"), headers=fields, body="",
                                   trailers=[], complete=False)
                self._body(r, rec, fields)
                rec["complete"] = True
                if not self._answer(sock, r, method, target):
                    return
        except (Closed, ValueError, OSError):
            if rec is None and r.buf:
                self._record(conn=cid, stray=r.buf[:80].decode("latin-1"))
        finally:
            sock.close()

    def _body(self, r, rec, fields):
        if any("chunked" in v.lower() for v in header(fields, "Transfer-Encoding")):
            while True:
                size = int(r.until(b"\r\n").split(b";")[0].strip(), 16)
                if size == 0:
                    break
                rec["body"] += r.exact(size).decode("latin-1")
                r.exact(2)
            trailer = r.until(b"\r\n")
            while trailer != b"\r\n":
                rec["trailers"] += _fields([trailer[:-2]])
                trailer = r.until(b"\r\n")
            return
        cl = header(fields, "Content-Length")
        n = int(cl[0]) if cl and cl[0].isdigit() else 0
        while n > 0:  # byte by byte as it comes, so a trickled body shows how far it got
            if not r.buf:
                r._more()
            take = r.buf[:n]
            r.buf = r.buf[len(take):]
            rec["body"] += take.decode("latin-1")
            n -= len(take)

    def _answer(self, sock, r, method, target):
        """Sends the response for `target`; False when the connection is to be closed."""
        path = target.split("?")[0]
        if path in FAULTS:
            first, rest, pause = FAULTS[path]
            sock.sendall(first)
            if rest:
                time.sleep(pause)
                sock.sendall(rest)
            if path == "/c1-10chunked":  # wait for a reused connection's next request, or close
                ready, _, _ = select.select([sock], [], [], 1.5)
                return bool(ready)
            return True
        if path == "/hold":
            time.sleep(1.5)
        body = ("up:" + path).encode()
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + (b"" if method == "HEAD" else body))
        return True


def parse_responses(buf, methods, closed):
    """The responses in `buf`, in order, for requests sent with `methods`; returns (responses, leftover)."""
    out, i = [], 0
    while len(out) < max(len(methods), 1) + 2:
        end = buf.find(b"\r\n\r\n", i)
        if end < 0 or not buf.startswith(b"HTTP/", i):
            break
        lines = buf[i:end].split(b"\r\n")
        parts = lines[0].decode("latin-1").split(" ", 2)
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        fields = [[n.strip(), v.strip()] for n, _, v in (l.decode("latin-1").partition(":") for l in lines[1:])]
        method = methods[len(out)] if len(out) < len(methods) else "GET"
        j = end + 4
        resp = {"status": status, "line": lines[0].decode("latin-1"), "headers": fields}
        te, cl = header(fields, "Transfer-Encoding"), header(fields, "Content-Length")
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif te and "chunked" in te[0].lower() and not resp["line"].startswith("HTTP/1.0"):
            body, k = b"", j
            while True:
                eol = buf.find(b"\r\n", k)
                if eol < 0:
                    return out, buf[i:]
                size = int(buf[k:eol].split(b";")[0] or b"0", 16)
                if size == 0:
                    j = buf.find(b"\r\n\r\n", eol) + 4 if buf.find(b"\r\n\r\n", eol) >= 0 else len(buf)
                    break
                body += buf[eol + 2:eol + 2 + size]
                k = eol + 2 + size + 2
        elif cl and cl[0].isdigit():
            if len(buf) < j + int(cl[0]):
                break
            body, j = buf[j:j + int(cl[0])], j + int(cl[0])
        elif closed:
            body, j = buf[j:], len(buf)
        else:
            break
        resp["body"] = body.decode("latin-1")
        out.append(resp)
        i = j
        if status == 101:
            break
    return out, buf[i:]


def connect(port, src="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def collect(sock, methods, t0, deadline, linger=0.5, buf=b""):
    """Reads until the expected responses (then `linger` more seconds), the peer closes, or `deadline`."""
    closed, done_at = False, None
    while True:
        now = time.monotonic()
        if now - t0 >= deadline or (done_at is not None and now - done_at >= linger):
            break
        ready, _, _ = select.select([sock], [], [], 0.02)
        if ready:
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                closed = True
                break
            buf += data
        if done_at is None and len(parse_responses(buf, methods, False)[0]) >= len(methods):
            done_at = time.monotonic()
    responses, rest = parse_responses(buf, methods, closed)
    return {"responses": responses, "closed": closed, "extra": rest[:80].decode("latin-1"),
            "t": round(time.monotonic() - t0, 2)}


def exchange(port, data, methods, deadline=3.0, linger=0.5, src="127.0.0.1"):
    """Connects, sends `data` in one write, and records what comes back (see collect)."""
    t0 = time.monotonic()
    try:
        s = connect(port, src)
    except OSError as e:
        return {"responses": [], "closed": True, "extra": "", "t": 0.0, "error": str(e)}
    try:
        s.sendall(data)
    except OSError:
        pass
    try:
        return collect(s, methods, t0, deadline, linger)
    finally:
        s.close()


def trickle(port, data, interval, bound, first=0):
    """Sends `first` bytes at once, then the rest one byte every `interval` seconds, until it is all sent, the
    peer answers or closes, or `bound` seconds pass; records what came back and when."""
    t0 = time.monotonic()
    s = connect(port)
    buf, sent, closed = b"", 0, False
    try:
        s.sendall(data[:first or 1])
        sent = first or 1
        while time.monotonic() - t0 < bound:
            ready, _, _ = select.select([s], [], [], interval)
            if ready:
                try:
                    got = s.recv(65536)
                except OSError:
                    got = b""
                if not got:
                    closed = True
                    break
                buf += got
                continue
            if sent < len(data):
                try:
                    s.sendall(data[sent:sent + 1])
                    sent += 1
                except OSError:
                    closed = True
                    break
        return {"responses": parse_responses(buf, ["GET"], closed)[0], "closed": closed, "sent": sent,
                "of": len(data), "t": round(time.monotonic() - t0, 2)}
    finally:
        s.close()
