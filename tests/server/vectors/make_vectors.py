"""Regenerate followthrough-sync-v1.json: SYNC-DESIGN Appendix A's generator with our label, plus
the recovery branch. Independent of the refclient package on purpose (the test compares the two).

    python tests/server/vectors/make_vectors.py > tests/server/vectors/followthrough-sync-v1.json
"""

import hashlib
import hmac
import json
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

L = b"followthrough-sync/v1"


def hkdf(ikm: bytes, info: bytes, n: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=n, salt=b"", info=info).derive(ikm)


passphrase = "correct horse battery staple"
pw = unicodedata.normalize("NFKC", passphrase).encode()
acct = bytes.fromhex("00112233445566778899aabbccddeeff")
seed = bytes(range(32))
kdf_salt = hashlib.sha256(L + b"/kdf-salt\x00" + acct + seed).digest()[:16]
root = hashlib.pbkdf2_hmac("sha256", pw, kdf_salt, 600_000, 32)
auth_key = hkdf(root, L + b"/auth\x00" + acct)
kek = hkdf(root, L + b"/kek\x00" + acct)
verifier = hmac.new(bytes(32), auth_key, hashlib.sha256).digest()
dek = bytes(range(0x20, 0x40))
key_id = (1).to_bytes(4, "big")
wrap_iv = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaab")
wrap_aad = L + b"/dek\x00" + acct + key_id
wrapped = wrap_iv + AESGCM(kek).encrypt(wrap_iv, dek, wrap_aad)
recovery_key = bytes(range(0x40, 0x60))
rk_kek = hkdf(recovery_key, L + b"/recovery\x00" + acct)
recovery_auth_key = hkdf(recovery_key, L + b"/recovery-auth\x00" + acct)
rwrap_iv = bytes.fromhex("c0c1c2c3c4c5c6c7c8c9cacb")
recovery_wrapped = rwrap_iv + AESGCM(rk_kek).encrypt(rwrap_iv, dek, wrap_aad)
rid = bytes.fromhex("0f0e0d0c0b0a09080706050403020100")
iv = bytes.fromhex("b0b1b2b3b4b5b6b7b8b9babb")
aad = L + b"/rec\x00" + acct + rid + key_id
state = {
    "v": 1,
    "t": "contact",
    "f": {
        "name": ["Ada Lovelace", "2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"],
        "_deleted": [False, "2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"],
        "tags:recruiter": [True, "2025-01-01T00:00:00.001Z-0000-a1b2c3d4e5f60718"],
    },
}
pt = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
padded = pt + b"\x80"
padded += b"\x00" * (-len(padded) % 256)
envelope = b"\x01" + key_id + iv + AESGCM(dek).encrypt(iv, padded, aad)

print(
    json.dumps(
        {
            "label": L.decode(),
            "passphrase": passphrase,
            "account_id": acct.hex(),
            "seed": seed.hex(),
            "kdf_salt": kdf_salt.hex(),
            "iterations": 600_000,
            "root": root.hex(),
            "auth_key": auth_key.hex(),
            "auth_verifier (pepper = 32 zero bytes)": verifier.hex(),
            "kek": kek.hex(),
            "dek": dek.hex(),
            "key_id": key_id.hex(),
            "wrap_iv": wrap_iv.hex(),
            "wrap_aad": wrap_aad.hex(),
            "wrapped_dek": wrapped.hex(),
            "recovery_key": recovery_key.hex(),
            "rk_kek": rk_kek.hex(),
            "recovery_auth_key": recovery_auth_key.hex(),
            "recovery_wrap_iv": rwrap_iv.hex(),
            "recovery_wrapped_dek": recovery_wrapped.hex(),
            "record_id": rid.hex(),
            "rec_iv": iv.hex(),
            "rec_aad": aad.hex(),
            "plaintext": pt.decode(),
            "padded_len": len(padded),
            "envelope_len": len(envelope),
            "envelope": envelope.hex(),
        },
        indent=1,
    )
)
