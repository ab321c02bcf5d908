"""Running the web application in several uvicorn worker processes sharing one listening socket.

The socket is made here, not by uvicorn: uvicorn 0.54 binds it without naming the protocol
(proto 0), so asyncio never sets TCP_NODELAY on the accepted connections and every keep-alive
response waits ~40 ms for the peer's delayed ACK (Kludex/uvicorn#3149; measured with bench/web.py:
case page 72 ms with two workers against 27 ms with one). Naming IPPROTO_TCP restores it.
"""

from __future__ import annotations

import socket
import sys

APP_FACTORY = "caseflow.web.asgi:app_from_environment"


def tcp_listener(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        sys.exit(f"无法监听 {host}:{port}：{exc.strerror}")
    sock.set_inheritable(True)  # handed to the worker processes
    return sock


def run_workers(*, host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Serve with `workers` processes; returns when the supervisor stops (Ctrl-C, SIGTERM)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                            log_level=log_level)
    sock = tcp_listener(host, port)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
