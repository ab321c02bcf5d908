"""Running the web application with uvicorn: which proxies are trusted, and several worker
processes sharing one listening socket.

X-Forwarded-For is trusted only from the proxies configured (`caseflow serve
--forwarded-allow-ips`, or CASEFLOW_WEB_FORWARDED_ALLOW_IPS); by default from none, so the address
the login throttle counts is the connection's own and a client cannot choose it.

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


def proxy_options(forwarded_allow_ips: str) -> dict[str, object]:
    """uvicorn's proxy settings: X-Forwarded-For/-Proto read only from the addresses listed
    (comma-separated IPs or networks); none listed — the default — reads them from nobody.
    (uvicorn on its own trusts 127.0.0.1, so a local reverse proxy is not assumed.)"""
    allowed = ",".join(p.strip() for p in forwarded_allow_ips.split(",") if p.strip())
    if not allowed:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": allowed}


def run_workers(*, host: str, port: int, workers: int, log_level: str = "info",
                forwarded_allow_ips: str = "") -> None:
    """Serve with `workers` processes; returns when the supervisor stops (Ctrl-C, SIGTERM)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                            log_level=log_level, **proxy_options(forwarded_allow_ips))  # type: ignore[arg-type]
    sock = tcp_listener(host, port)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
