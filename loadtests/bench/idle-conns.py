#!/usr/bin/env python3
"""Opens N keep-alive connections to host:port, sends one GET on each, reads the answer, then holds them
idle for HOLD seconds. Prints how many are open. Bounded in count and time; loopback only."""
import selectors, socket, sys, time

host, port, n, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
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
while len(answered) < n and time.time() < deadline:
    for key, _ in sel.select(timeout=1):
        try:
            if key.fileobj.recv(65536):
                answered.add(key.fileobj)
        except BlockingIOError:
            pass
print(f"{len(answered)} of {n} connections answered and held idle", flush=True)
time.sleep(hold)
