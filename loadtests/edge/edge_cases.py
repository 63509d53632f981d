"""The edge-hardening cases, run against one proxy in front of the logging upstream of edge_wire.py, and the
Markdown table of several runs side by side. Driven by loadtests/edge/edge-cases.sh; python3 stdlib only.

  edge_cases.py ports N                        print N free loopback ports
  edge_cases.py run NAME PROXY_PORT UPSTREAM_PORT OUT.json [ADMIN_PORT STATE_DIR TOKEN]
  edge_cases.py table HEADER=RUN.json...       the Markdown table, one column per run
"""
import json
import os
import socket
import statistics
import sys
import threading
import time
import urllib.request

from edge_wire import Upstream, collect, connect, exchange, header, trickle

LIMITS = {"per_ip": 4, "total": 20}  # the same values go into both proxies' configs (edge-cases.sh)


def req(line, *fields, body=b""):
    return line.encode() + b"\r\n" + b"".join(f.encode() + b"\r\n" for f in fields) + b"\r\n" + body


def short(text, n=24):
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= n else text[:n] + "..."


def client(res, body=False):
    """What a client got: statuses, (body), closed or not."""
    if res.get("error"):
        return "connect failed"
    parts = [str(r["status"]) + (" `%s`" % short(r["body"]) if body and r["body"] else "")
             for r in res["responses"]]
    out = "+".join(parts) if parts else "no response" + ("" if res["closed"] else " in %.1f s" % res["t"])
    if res["extra"]:
        out += " + %d stray bytes" % len(res["extra"])
    return out + (", closed" if res["closed"] else "")


def upstream(reqs, show=()):
    """What the upstream got: each request line, with the values of the header names in `show`."""
    items = []
    for r in reqs:
        if "bad" in r:
            items.append("a malformed head")
        elif "stray" in r:
            items.append("%d stray bytes" % len(r["stray"]))
        else:
            m, t, _ = r["line"].split(" ")
            s = m + " " + t
            shown = ["`%s: %s`" % (n, short(v, 40)) for n in show for v in header(r["headers"], n)]
            shown += ["trailer `%s: %s`" % (n, short(v, 40)) for n, v in r["trailers"]]
            if shown:
                s += " (" + "; ".join(shown) + ")"
            items.append(s)
    if not items:
        return "upstream got nothing"
    return "upstream got %d: %s" % (len(reqs), ", ".join(items)) if len(items) > 1 else "upstream got " + items[0]


class Run:
    """The cases against one proxy on port `proxy`, with `up` behind it; `admin` is (port, state dir, token) for
    Ramp, None for nginx. Each case method returns its cell of the table."""

    def __init__(self, proxy, up, admin=None):
        self.proxy, self.up, self.admin = proxy, up, admin

    def case(self, fn):
        """Runs one case from empty pools. `fn` returns the cell; it gets a function that ends the case's upstream
        connections (so bytes left unparsed on them are recorded too) and returns the case's records."""
        self.up.drop_all()
        time.sleep(0.2)
        mark = self.up.mark()

        def records():
            self.up.drop_all()
            time.sleep(0.1)
            return self.up.since(mark)
        return fn(records)

    def one(self, data, methods=("GET",), show=(), body=False):
        """`data` sent on a new connection: what came back, and what the upstream got (headers in `show`)."""
        def fn(reqs):
            res = exchange(self.proxy, data, list(methods))
            time.sleep(0.2)
            return client(res, body) + "; " + upstream(reqs(), show)
        return self.case(fn)

    def victim(self, method, path):
        """A faulty answer to one client, then another client's GET on its own connection 0.4 s later."""
        def fn(reqs):
            att = {}
            t = threading.Thread(target=lambda: att.update(exchange(
                self.proxy, req("%s %s HTTP/1.1" % (method, path), "Host: x"), [method], deadline=2.5)))
            t.start()
            time.sleep(0.4)
            vic = exchange(self.proxy, req("GET /c1-victim HTTP/1.1", "Host: x"), ["GET"], deadline=2.5)
            t.join()
            time.sleep(0.2)
            return "client %s; victim %s" % (client(att, True), victim_cell(vic, reqs(), path))
        return self.case(fn)

    def pipelined(self):
        """A HEAD answered with a body and a GET, pipelined by one client in one write."""
        def fn(reqs):
            data = req("HEAD /c1-head HTTP/1.1", "Host: x") + req("GET /c1-victim HTTP/1.1", "Host: x")
            res = exchange(self.proxy, data, ["HEAD", "GET"], deadline=3.0)
            time.sleep(0.2)
            rs = res["responses"]
            second = rs[1] if len(rs) > 1 else None
            got = ("no 2nd response" if not second else "2nd got INJECTED" if "INJECTED" in second["body"]
                   else "2nd: %d own response" % second["status"] if second["body"] == "up:/c1-victim"
                   else "2nd: %d `%s`" % (second["status"], short(second["body"])))
            return "%s; %s%s" % (client(res), got, reuse(reqs(), "/c1-head"))
        return self.case(fn)

    def many(self, n, sources):
        """n connections, one `GET /hold` each (held 1.5 s upstream), the i-th from address sources[i]; returns the
        clients' cell and the upstream connection count's."""
        def fn(reqs):
            socks = []
            for i in range(n):
                t0 = time.monotonic()
                try:
                    s = connect(self.proxy, sources[i])
                    s.sendall(req("GET /hold HTTP/1.1", "Host: x"))
                except OSError:
                    s = None
                socks.append((s, t0))
                time.sleep(0.05)
            cells = []
            for s, t0 in socks:
                cells.append(client(collect(s, ["GET"], t0, 3.0, linger=0.2)) if s else "connect failed")
                if s:
                    s.close()
            got = [r for r in reqs() if "line" in r]
            conns, held = len({r["conn"] for r in got}), len(got)
            return runs(cells), "%d upstream conns for %d requests in flight" % (conns, held)
        return self.case(fn)

    def head_trickle(self):
        head = req("GET /trickle HTTP/1.1", "Host: x", "X-Pad: " + "a" * 40)
        def fn(reqs):
            res = trickle(self.proxy, head, 0.1, 5.0)
            return slow_cell(res, 5.0, "head") + "; " + upstream(reqs())
        return self.case(fn)

    def body_trickle(self):
        head = req("POST /btrickle HTTP/1.1", "Host: x", "Content-Length: 10")
        def fn(reqs):
            res = trickle(self.proxy, head + b"0123456789", 2.0, 5.0, first=len(head) + 1)
            time.sleep(0.2)
            got = [r for r in reqs() if "line" in r]
            up = ("upstream got the head and %d of 10 body bytes" % len(got[0]["body"])) if got else upstream([])
            return slow_cell(res, 5.0, "body") + "; " + up
        return self.case(fn)

    def connection_cost(self, fields):
        """The proxy's CPU time per request (see cpu_ns) for a ~14 KB head of `fields` fields, each named in a
        ~7 KB Connection value, and for a plain GET: medians of 5 rounds of 100 of each on one keep-alive
        connection, after 1000 plain and 300 heavy unmeasured (the JIT's warm-up)."""
        names = ["h%d" % i for i in range(fields)]
        conn = ", ".join(names + ["f%d" % i for i in range(1300)])[:7000].rsplit(",", 1)[0]
        pad = "v" * max(1, 7000 // fields - len(names[-1]) - 4)
        heavy = req("GET /conn HTTP/1.1", "Host: x", "Connection: " + conn, *["%s: %s" % (n, pad) for n in names])
        plain = req("GET /plain HTTP/1.1", "Host: x")

        def batch(data, n):
            s, done, last = connect(self.proxy), 0, None
            for _ in range(n):
                t0 = time.monotonic()
                s.sendall(data)
                last = collect(s, ["GET"], t0, 3.0, linger=0)
                if last["closed"] or [r["status"] for r in last["responses"]] != [200]:
                    break
                done += 1
            s.close()
            return done, last

        def fn(reqs):
            batch(plain, 1000)
            batch(heavy, 300)
            cost = {"plain": [], "heavy": []}
            for i in range(5):  # alternating rounds, their medians: steadier on a shared machine
                for label in (("plain", "heavy") if i % 2 == 0 else ("heavy", "plain")):
                    c0 = cpu_ns()
                    done, last = batch(plain if label == "plain" else heavy, 100)
                    if done < 100:
                        return "%s head answered %s" % (label, client(last))
                    cost[label].append((cpu_ns() - c0) / 1000 / done)
            h, p = statistics.median(cost["heavy"]), statistics.median(cost["plain"])
            got = [r for r in reqs() if "line" in r and "/conn" in r["line"]]
            kept = sum(1 for n in names if header(got[-1]["headers"], n)) if got else 0
            return "CPU %.0f vs %.0f us/request plain (%.1fx); upstream got %d of the %d listed fields" % (
                h, p, h / p, kept, fields)
        return self.case(fn)

    def latch(self):
        port, state, token = self.admin
        target = os.path.join(os.path.dirname(state.rstrip("/")), "outside-target.txt")
        with open(target, "w") as f:
            f.write("ORIGINAL")
        os.symlink(target, os.path.join(state, "edge.json.tmp"))
        r = urllib.request.Request("http://127.0.0.1:%d/api/routes/edge/revert" % port, method="POST",
                                   headers={"Authorization": "Bearer " + token}, data=b"")
        try:
            status = urllib.request.urlopen(r, timeout=5).status
        except urllib.error.HTTPError as e:
            status = e.code
        time.sleep(0.3)
        with open(target) as f:
            changed = f.read() != "ORIGINAL"
        latch = os.path.join(state, "edge.json")
        kind = "a link" if os.path.islink(latch) else "a file" if os.path.exists(latch) else "absent"
        return "revert %d; %s; latch is %s" % (
            status, "file outside state-dir OVERWRITTEN" if changed else "file outside state-dir untouched", kind)


def cpu_ns():
    """CPU time so far of the proxy process PROXY_PID, in nanoseconds: of its traffic event loop (threads named
    ramp-proxy*) when it has one, so the JIT compiler and the JVM's other threads are left out; else of all
    its threads (an nginx worker)."""
    pid, times = os.environ["PROXY_PID"], {}
    for task in os.listdir("/proc/%s/task" % pid):
        try:
            with open("/proc/%s/task/%s/comm" % (pid, task)) as f, \
                    open("/proc/%s/task/%s/schedstat" % (pid, task)) as g:
                times[task] = (f.read().strip(), int(g.read().split()[0]))
        except OSError:
            pass
    loop = [ns for name, ns in times.values() if name.startswith("ramp-proxy")]
    return sum(loop) if loop else sum(ns for _, ns in times.values())


def reuse(reqs, path):
    faulty = [r["conn"] for r in reqs if "line" in r and path in r["line"]]
    vic = [r["conn"] for r in reqs if "line" in r and "/c1-victim" in r["line"]]
    if not vic:
        return " (its request never reached the upstream)"
    return " (on the faulty upstream conn)" if faulty and vic[0] == faulty[0] else " (new upstream conn)"


def victim_cell(res, reqs, path):
    rs = res["responses"]
    if rs and "INJECTED" in rs[0]["body"]:
        return "got INJECTED" + reuse(reqs, path)
    if not rs:
        return client(res) + reuse(reqs, path)
    own = rs[0]["body"] == "up:/c1-victim"
    return "%d %s%s" % (rs[0]["status"], "own response" if own else "`%s`" % short(rs[0]["body"]), reuse(reqs, path))


def slow_cell(res, bound, what):
    if not res["closed"]:
        return "still open at %.0f s (%d of %d %s bytes sent)%s" % (
            bound, res["sent"], res["of"], what, "; " + client(res) if res["responses"] else "")
    got = "+".join(str(r["status"]) for r in res["responses"]) or "no response"
    return "%s, closed at %.1f s" % (got, res["t"])


def runs(cells):
    """Per-connection results, consecutive equal ones merged: `1-4: 200; 5: no response, closed`."""
    out, i = [], 0
    while i < len(cells):
        j = i
        while j + 1 < len(cells) and cells[j + 1] == cells[i]:
            j += 1
        out.append(("%d-%d" % (i + 1, j + 1) if j > i else "%d" % (i + 1)) + ": " + cells[i])
        i = j + 1
    return "; ".join(out)


def cases(run, name):
    """(row, cell) for every case, numbered as in docs/design/edge-cases.md; `name`: nginx, before or now."""
    ramp = name != "nginx"
    xfh = ("X-Forwarded-Host",)  # where both proxies put the client's Host (Host becomes the upstream's)
    forwarded = ("Forwarded", "X-Real-IP", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-For")
    per_ip = ["127.0.0.2"] * (LIMITS["per_ip"] + 1)
    total = [("127.0.0.%d" % (3 + i // LIMITS["per_ip"])) for i in range(LIMITS["total"] + 1)]
    yield "1a HEAD answered with a body; victim GET on another conn 0.4 s later", run.victim("HEAD", "/c1-head")
    yield "1b 204 followed by bytes; victim on another conn", run.victim("GET", "/c1-204")
    yield "1c HEAD + GET pipelined by one client (HEAD answered with a body)", run.pipelined()
    yield "1d unrequested 101 (then a response); victim on another conn", run.victim("GET", "/c1-101")
    yield "1e response with Content-Length: 5 and chunked; victim on another conn", run.victim("GET", "/c1-clte")
    yield "1f HTTP/1.0 response, chunked, keep-alive; victim on another conn", run.victim("GET", "/c1-10chunked")
    yield "1g a response, then INJECTED 0.2 s later on the idle conn; victim on another conn", run.victim(
        "GET", "/c1-late")
    smuggled = b"GET /SMUGGLED HTTP/1.1\r\nHost: x\r\n\r\n"
    yield "2a `Content-Length: 35,` + a 35-byte GET as body", run.one(
        req("POST /c2 HTTP/1.1", "Host: x", "Content-Length: 35,", body=smuggled), show=("Content-Length",))
    yield "2b `Content-Length: 5 ,`", run.one(
        req("POST /c2b HTTP/1.1", "Host: x", "Content-Length: 5 ,", body=b"hello"), show=("Content-Length",))
    yield "2c `Content-Length: 5, 5` (a list of identical values)", run.one(
        req("POST /c2c HTTP/1.1", "Host: x", "Content-Length: 5, 5", body=b"hello"), show=("Content-Length",))
    yield "3 header line starting with a bare CR", run.one(
        b"POST /a HTTP/1.1\r\nHost: x\r\n\rContent-Length: 35\r\n\r\n" + smuggled, show=("Content-Length",))
    yield "4 HTTP/1.0 + Transfer-Encoding: chunked", run.one(
        req("POST /c4 HTTP/1.0", "Host: x", "Transfer-Encoding: chunked", body=b"5\r\nhello\r\n0\r\n\r\n"))
    yield "5a HTTP/1.1 without Host", run.one(req("GET /c5a HTTP/1.1"), show=xfh)
    yield "5b two Host headers (a, b)", run.one(req("GET /c5b HTTP/1.1", "Host: a", "Host: b"), show=xfh)
    yield "5c invalid Host `x/y`", run.one(req("GET /c5c HTTP/1.1", "Host: x/y"), show=xfh)
    yield "5d absolute-form `http://other/c5d`, Host: x", run.one(
        req("GET http://other/c5d HTTP/1.1", "Host: x"), show=xfh)
    yield "5e absolute-form `http://x/c5e`, Host: x", run.one(
        req("GET http://x/c5e HTTP/1.1", "Host: x"), show=xfh)
    yield "5f CONNECT x:443", run.one(req("CONNECT x:443 HTTP/1.1", "Host: x:443"))
    yield "6 chunked request with trailers X-Forwarded-For: 6.6.6.6, Host: evil", run.one(
        req("POST /c6 HTTP/1.1", "Host: x", "Transfer-Encoding: chunked",
            body=b"5\r\nhello\r\n0\r\nX-Forwarded-For: 6.6.6.6\r\nHost: evil\r\n\r\n"), show=("X-Forwarded-For",) + xfh)
    yield "7a untrusted peer sends Forwarded, X-Real-IP, X-Forwarded-Port/-Prefix/-For", run.one(
        req("GET /c7 HTTP/1.1", "Host: x", "Forwarded: for=6.6.6.6", "X-Real-IP: 6.6.6.6", "X-Forwarded-Port: 1",
            "X-Forwarded-Prefix: /evil", "X-Forwarded-For: 6.6.6.6"), show=forwarded)
    yield "7b warning at start: loopback trusted, listener not on loopback", {
        "nginx": "n/a", "before": "not run; no such check in its code"}.get(
        name, "not run (needs a non-loopback listener); covered by LoopbackTrustWarningTest")
    yield "8a max-connections-per-ip 4: 5 conns from one address, GET held 1.5 s", run.many(len(per_ip), per_ip)[0]
    conns, pool = run.many(len(total), total)
    yield "8b max-connections 20: 21 conns (4 per address), GET held 1.5 s", conns
    yield ("8c upstream conns per origin under load (limits above 20: Ramp now max-upstream-connections 1024 "
           "per loop, UpstreamConnectionLimitTest shows the bound and the wait; nginx max_conns unset)"), pool
    yield "8d head trickled 1 byte / 0.1 s (83 bytes; header-timeout 2 s)", run.head_trickle()
    yield "8e body trickled 1 byte / 2 s (body-timeout 1 s)", run.body_trickle()
    yield "8f 4000 header fields (`a:` x 3999 + Host, 16 KB)", run.one(
        req("GET /c8e HTTP/1.1", "Host: x", *(["a:"] * 3999)))
    yield "8g 14 KB head: 90 fields, each named in a 7 KB Connection value", run.connection_cost(90)
    yield "8h 14 KB head: 800 fields, each named in a 7 KB Connection value", run.connection_cost(800)
    yield "9 latch write with a symlink planted at `<route>.json.tmp`", run.latch() if ramp else "n/a (Ramp only)"


def main(argv):
    if argv[1] == "ports":
        socks = [socket.create_server(("127.0.0.1", 0)) for _ in range(int(argv[2]))]
        print(" ".join(str(s.getsockname()[1]) for s in socks))
        return
    if argv[1] == "run":
        name, proxy, up_port, out = argv[2], int(argv[3]), int(argv[4]), argv[5]
        admin = (int(argv[6]), argv[7], argv[8]) if len(argv) > 8 else None
        run = Run(proxy, Upstream(up_port), admin)
        result = []
        for row, cell in cases(run, name):
            print("  %-8s %s: %s" % (name, row.split(" ")[0], cell), file=sys.stderr, flush=True)
            result.append([row, cell])
        run.up.drop_all()
        with open(out, "w") as f:
            json.dump(result, f, indent=1)
        return
    if argv[1] == "table":
        heads, cols = [], []
        for spec in argv[2:]:
            head, _, path = spec.partition("=")
            heads.append(head)
            with open(path) as f:
                cols.append(json.load(f))
        print("| case | " + " | ".join(heads) + " |")
        print("|---|" + "---|" * len(heads))
        for i, (row, _) in enumerate(cols[0]):
            cells = [c[i][1].replace("|", "\\|") for c in cols]
            print("| " + row.replace("|", "\\|") + " | " + " | ".join(cells) + " |")
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
