#!/usr/bin/env python3
"""Opens N keep-alive connections to host:port, sends one GET on each, reads the answer, then holds them
idle for HOLD seconds. Prints how many are open. Bounded in count and time; loopback only.

With a fifth argument STATUS, it watches the held connections while it holds them: every second it writes
"<open> <closed>" to STATUS (closed: the server closed or reset it; this side never does), and on exit,
at the end of HOLD or on SIGTERM, prints "<open> of <answered> still open after <s> s (<closed> closed by
the server)"."""
import os, selectors, signal, socket, sys, time

host, port, n, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
status = sys.argv[5] if len(sys.argv) > 5 else None
req = b"GET / HTTP/1.1\r\nHost: bench\r\nX-User-Id: idle\r\n\r\n"
socks, sel = [], selectors.DefaultSelector()
for i in range(n):
    s = socket.socket()
    s.setblocking(True)
    s.connect((host, port))
    s.sendall(req)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    socks.append(s)
answered, deadline = set(), time.time() + 60
while len(sel.get_map()) > len(answered) and time.time() < deadline:  # some still waiting for an answer
    for key, _ in sel.select(timeout=1):
        try:
            data = key.fileobj.recv(65536)
        except BlockingIOError:
            continue
        except OSError:
            data = b""
        if data:
            answered.add(key.fileobj)
        else:  # closed before its answer (e.g. over the server's connection limit): not counted, not watched
            sel.unregister(key.fileobj)
print(f"{len(answered)} of {n} connections answered and held idle", flush=True)
if status is None:
    time.sleep(hold)
    sys.exit(0)

# An idle connection is readable only when the server sends something: end of stream or a reset when it
# closes one, which is what is counted.
for s in socks:
    if s not in answered and s in sel.get_map():
        sel.unregister(s)
closed, start = 0, time.time()
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
try:
    end = start + hold
    while time.time() < end:
        for key, _ in sel.select(timeout=1):
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                closed += 1
        with open(status + ".tmp", "w") as f:
            f.write(f"{len(answered) - closed} {closed}\n")
        os.replace(status + ".tmp", status)
finally:
    print(f"{len(answered) - closed} of {len(answered)} still open after {time.time() - start:.0f} s "
          f"({closed} closed by the server)", flush=True)
