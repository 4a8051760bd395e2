"""ECDSA on P-256 with SHA-256 (ES256), signing only, in plain Python: the VAPID signature
(RFC 8292) is the server's one use of public-key cryptography, and the server loads no
cryptography library at all (it never decrypts anything; test_server_process.py holds it).

Jacobian coordinates; a fresh random nonce per signature. About a millisecond or two per
signature, which is nothing next to the network round trip that follows it."""

from __future__ import annotations

import hashlib
import secrets

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)

Jacobian = tuple[int, int, int]


def _double(p: Jacobian) -> Jacobian:
    x, y, z = p
    if not y:
        return (0, 1, 0)
    ysq = y * y % P
    s = 4 * x * ysq % P
    zsq = z * z % P
    m = (3 * x * x + A * zsq * zsq) % P
    nx = (m * m - 2 * s) % P
    ny = (m * (s - nx) - 8 * ysq * ysq) % P
    return (nx, ny, 2 * y * z % P)


def _add(p: Jacobian, q: Jacobian) -> Jacobian:
    if not p[2]:
        return q
    if not q[2]:
        return p
    z1sq, z2sq = p[2] * p[2] % P, q[2] * q[2] % P
    u1, u2 = p[0] * z2sq % P, q[0] * z1sq % P
    s1, s2 = p[1] * z2sq * q[2] % P, q[1] * z1sq * p[2] % P
    if u1 == u2:
        return _double(p) if s1 == s2 else (0, 1, 0)
    h, r = (u2 - u1) % P, (s2 - s1) % P
    h2 = h * h % P
    h3 = h * h2 % P
    u1h2 = u1 * h2 % P
    nx = (r * r - h3 - 2 * u1h2) % P
    ny = (r * (u1h2 - nx) - s1 * h3) % P
    return (nx, ny, h * p[2] * q[2] % P)


def _multiply(k: int, point: tuple[int, int] = G) -> tuple[int, int]:
    result: Jacobian = (0, 1, 0)
    addend: Jacobian = (point[0], point[1], 1)
    while k:
        if k & 1:
            result = _add(result, addend)
        addend = _double(addend)
        k >>= 1
    z_inv = pow(result[2], -1, P)
    return (result[0] * z_inv * z_inv % P, result[1] * z_inv * z_inv * z_inv % P)


def new_private_key() -> bytes:
    return (secrets.randbelow(N - 1) + 1).to_bytes(32, "big")


def public_key(private: bytes) -> bytes:
    """The uncompressed point (0x04 || X || Y), 65 bytes."""
    x, y = _multiply(int.from_bytes(private, "big"))
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def sign(private: bytes, message: bytes) -> bytes:
    """The ES256 signature of `message`: r || s, 64 bytes (JWS form)."""
    d = int.from_bytes(private, "big")
    e = int.from_bytes(hashlib.sha256(message).digest(), "big")
    while True:
        k = secrets.randbelow(N - 1) + 1
        r = _multiply(k)[0] % N
        if not r:
            continue
        s = pow(k, -1, N) * (e + r * d) % N
        if s:
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
