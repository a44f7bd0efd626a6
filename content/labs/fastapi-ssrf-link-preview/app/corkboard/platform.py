"""The hosting platform around Corkboard, simulated inside the app process (read-only).

This lab runs without any network, so this module stands in for three things a real container
gets from its platform:

* the **config agent**, a small HTTP service the platform runs next to every app, listening on
  ``127.0.0.1:8775``. Apps read their settings (and their secrets) from it; nothing outside the
  container can reach it.
  The agent also answers at ``http://169.254.169.254/``, the link-local address where cloud
  platforms serve instance metadata and credentials.
* **DNS**: :func:`resolve` answers like ``getaddrinfo`` would: IP literals in every form the C
  library accepts, then the names of the lab's small internet (``ZONE``).
* **the internet**: a handful of public websites (``news.example``, ``blog.example`` and the link
  shortener ``go.example``), served by a simulator. :func:`transport` is an httpx transport that
  connects where DNS says: to the simulator for those public addresses, and to the real address
  (inside the container) for every other one.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

AGENT_ADDRESS = ("127.0.0.1", 8775)
AGENT_URL = "http://127.0.0.1:8775"
INTERNET_ADDRESS = ("127.0.0.1", 8780)

# The lab's DNS zone: public websites, and two real-world public names that point at loopback.
ZONE = {
    "news.example": ["93.184.215.34"],
    "blog.example": ["93.184.215.35"],
    "go.example": ["93.184.215.36"],
    "localhost": ["127.0.0.1"],
    "localtest.me": ["127.0.0.1"],
    "127.0.0.1.nip.io": ["127.0.0.1"],
}
PUBLIC_SITES = {"93.184.215.34", "93.184.215.35", "93.184.215.36"}
METADATA_IP = "169.254.169.254"


def resolve(host: str) -> list[str]:
    """The addresses a host name stands for, as getaddrinfo() would return them."""
    name = host.strip("[]").lower().rstrip(".")
    try:
        return [str(ipaddress.ip_address(name))]
    except ValueError:
        pass
    try:
        # The C library also reads 2130706433, 0x7f000001, 0177.0.0.1 and 127.1 as IPv4.
        return [socket.inet_ntoa(socket.inet_aton(name))]
    except OSError:
        pass
    if name in ZONE:
        return list(ZONE[name])
    raise LookupError(f"Name or service not known: {host}")


_network: httpx.HTTPTransport | None = None


def _shared_network() -> httpx.HTTPTransport:
    # One connection pool for the process: building a transport loads TLS certificates (slow).
    global _network
    if _network is None:
        _network = httpx.HTTPTransport()
    return _network


class _PlatformTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self._network = _shared_network()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            address = resolve(request.url.host)[0]
        except LookupError as error:
            raise httpx.ConnectError(str(error), request=request) from None
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # what the kernel does with ::ffff:a.b.c.d
        if str(ip) in PUBLIC_SITES:
            target = request.url.copy_with(
                scheme="http", host=INTERNET_ADDRESS[0], port=INTERNET_ADDRESS[1]
            )
        elif str(ip) == METADATA_IP and request.url.port in (None, 80):
            target = request.url.copy_with(host=AGENT_ADDRESS[0], port=AGENT_ADDRESS[1])
        else:
            target = request.url.copy_with(host=str(ip))
        forwarded = httpx.Request(
            request.method, target, headers=request.headers, stream=request.stream
        )
        return self._network.handle_request(forwarded)

    def close(self) -> None:
        pass  # the shared pool stays open for the next request


def transport() -> httpx.BaseTransport:
    """An httpx transport for outgoing requests: use it as ``httpx.Client(transport=...)``."""
    return _PlatformTransport()


class _Handler(BaseHTTPRequestHandler):
    server_version = "platform/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, status: int, body: str, content_type: str, **headers: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)


class _Agent(_Handler):
    server_version = "corkboard-config-agent/1.4"

    def do_GET(self) -> None:
        documents = {
            "/": {"agent": "config-agent/1.4", "endpoints": ["/v1/config", "/v1/secrets"]},
            "/v1/config": {"agent": "config-agent/1.4", "board_name": "Harbour Street Studio"},
            "/v1/secrets": {
                "agent": "config-agent/1.4",
                "secrets": {"PAYOUT_API_KEY": os.environ.get("LAB_FLAG", "")},
            },
            "/latest/meta-data/": {"agent": "config-agent/1.4", "iam": ["corkboard-app"]},
            "/latest/meta-data/iam/security-credentials/corkboard-app": {
                "agent": "config-agent/1.4",
                "AccessKeyId": "ASIA4CORKBOARD7EXAMPLE",
                "SecretAccessKey": os.environ.get("LAB_FLAG", ""),
            },
        }
        path = urlsplit(self.path).path
        if path in documents:
            self.send(200, json.dumps(documents[path]), "application/json")
        else:
            self.send(404, json.dumps({"error": "not found"}), "application/json")


def _page(title: str, description: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="og:description" content="{description}"></head>'
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    )


SITES = {
    ("news.example", "/"): _page(
        "Harbour News", "Local news from the harbour district.", "Today's headlines."
    ),
    ("news.example", "/2026/11/ferry-timetable"): _page(
        "New ferry timetable from December",
        "The harbour ferry runs every 20 minutes from 1 December.",
        "From 1 December the ferry leaves every 20 minutes, also on Sundays.",
    ),
    ("blog.example", "/posts/hello"): _page(
        "Hello from the studio blog",
        "Notes from a small design studio.",
        "We write about type, colour and very good coffee.",
    ),
}
SHORT_LINKS = {"/ferry": "http://news.example/2026/11/ferry-timetable"}


class _Internet(_Handler):
    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        parts = urlsplit(self.path)
        if host == "go.example":
            # A public link shortener: /ferry is a saved link, /r?to=URL sends anywhere.
            target = SHORT_LINKS.get(parts.path)
            if parts.path == "/r":
                target = parse_qs(parts.query).get("to", [""])[0] or None
            if target:
                self.send(302, "", "text/plain", Location=target)
                return
        page = SITES.get((host, parts.path))
        if page is None:
            self.send(404, _page("Not found", "", "No such page."), "text/html; charset=utf-8")
        else:
            self.send(200, page, "text/html; charset=utf-8")


_started = False
_lock = threading.Lock()


def start() -> None:
    """Start the config agent and the simulated internet (once per process)."""
    global _started
    with _lock:
        if _started:
            return
        for address, handler in [(AGENT_ADDRESS, _Agent), (INTERNET_ADDRESS, _Internet)]:
            server = ThreadingHTTPServer(address, handler)
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        _started = True
