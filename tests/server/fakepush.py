"""A fake push service on loopback (RFC 8030 as our sender uses it): it checks each request's
VAPID signature (RFC 8292: audience, expiry, ES256 signature, the server's key), decrypts the
body with the subscription's private key, which the test holds (RFC 8291, with `http_ece`),
and records what it delivered.

A request can be held (`hold_at`): the service then waits until the sender hangs up (it was
killed) or the test lets it go. A message counts as delivered only once the service answered
201, as a real push service acknowledges what it took."""

from __future__ import annotations

import base64
import json
import os
import select
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Subscription:
    """A browser's subscription as the test holds it: the private key too."""

    name: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def seal(self, payload: bytes) -> bytes:
        """What the client does: encrypt to this subscription (RFC 8291, aes128gcm)."""
        return http_ece.encrypt(
            payload,
            salt=os.urandom(16),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            dh=self.p256dh,
            auth_secret=self.auth,
            version="aes128gcm",
        )

    def open(self, body: bytes) -> bytes:
        return http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )


@dataclass
class Delivery:
    subscription: str
    payload: bytes
    headers: dict[str, str]


@dataclass
class FakePushService:
    server_key: str = ""  # the VAPID public key every request must carry
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    delivered: list[Delivery] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)  # subscription name -> answer
    hold_at: int = 0  # hold the n-th request (1-based); 0: never
    received: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""
    clock: Callable[[], float] = time.time  # the time JWT expiry is checked against

    def subscribe(self, name: str) -> Subscription:
        sub = Subscription(
            name=name,
            endpoint=f"{self.base}/push/{name}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
        )
        self.subscriptions[name] = sub
        return sub

    def check_vapid(self, header: str, now: float) -> str | None:
        """What is wrong with the Authorization header, or None."""
        scheme, _, rest = header.partition(" ")
        if scheme != "vapid":
            return "not vapid"
        params = dict(part.strip().split("=", 1) for part in rest.split(","))
        token, key = params.get("t", ""), params.get("k", "")
        if self.server_key and key != self.server_key:
            return "another key"
        head, claims_part, signature = token.split(".")
        if json.loads(b64url_decode(head)) != {"typ": "JWT", "alg": "ES256"}:
            return "header"
        claims = json.loads(b64url_decode(claims_part))
        if claims.get("aud") != self.base:
            return f"audience {claims.get('aud')!r}"
        if not now < claims.get("exp", 0) <= now + 24 * 3600:
            return "expiry"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "subject"
        raw = b64url_decode(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        try:
            public.verify(
                encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
                f"{head}.{claims_part}".encode(),
                ec.ECDSA(hashes.SHA256()),
            )
        except InvalidSignature:
            return "signature"
        return None

    def payloads(self) -> list[Any]:
        return [json.loads(d.payload) for d in self.delivered]


def _handler(service: FakePushService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with service.lock:
                service.received += 1
                hold = service.received == service.hold_at
            if hold:
                service.held.set()
                # Wait for the test, or for the sender to hang up (it was killed).
                while not service.release.wait(0.05):
                    readable, _, _ = select.select([self.connection], [], [], 0)
                    if readable and not self.connection.recv(1, 0x2):  # MSG_PEEK: EOF
                        return  # never answered: not delivered
            problem = service.check_vapid(self.headers.get("authorization", ""), service.clock())
            sub = service.subscriptions.get(name)
            if problem is None and sub is None:
                problem = "unknown subscription"
            if problem is None and self.headers.get("content-encoding") != "aes128gcm":
                problem = "content-encoding"
            payload = b""
            if problem is None:
                assert sub is not None
                try:
                    payload = sub.open(body)
                except Exception as error:
                    problem = f"decrypt: {error}"
            status = service.status.get(name, 201) if problem is None else 400
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()
            try:
                self.wfile.flush()
            except OSError:
                return
            with service.lock:
                if problem is not None:
                    service.refused.append(problem)
                elif status == 201:
                    service.delivered.append(
                        Delivery(name, payload, {k.lower(): v for k, v in self.headers.items()})
                    )

    return Handler


def start(service: FakePushService) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(service))
    server.daemon_threads = True
    service.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
