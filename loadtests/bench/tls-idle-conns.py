#!/usr/bin/env python3
"""Opens N TLS keep-alive connections to host:port (trusting CA), sends one GET on each, reads the answer,
then holds them idle for HOLD seconds; prints how many were answered. Bounded in count and time; loopback only.
   tls-idle-conns.py HOST PORT N HOLD CA"""
import socket, ssl, sys, time

host, port, n, hold, ca = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = False
req = b"GET / HTTP/1.1\r\nHost: bench\r\nX-User-Id: idle\r\n\r\n"
socks, answered = [], 0
for i in range(n):
    s = ctx.wrap_socket(socket.create_connection((host, port), timeout=10), server_hostname="localhost")
    s.sendall(req)
    if s.recv(65536):
        answered += 1
    socks.append(s)
print(f"{answered} of {n} TLS connections answered and held idle", flush=True)
time.sleep(hold)
