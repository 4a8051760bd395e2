"""Regenerate followthrough-sync-v2-secret-key.json: key-schedule version 2, where a random
128-bit secret key that never reaches the server is mixed into the root key (docs/sync-protocol.md
§2). Independent of the refclient package on purpose (the tests compare the two, and WebCrypto).

    python tests/server/vectors/make_secret_key_vectors.py \\
        > tests/server/vectors/followthrough-sync-v2-secret-key.json
"""

import hashlib
import hmac
import json
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

L = b"followthrough-sync/v1"


def hkdf(ikm: bytes, info: bytes, salt: bytes = b"", n: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=n, salt=salt, info=info).derive(ikm)


passphrase = "correct horse battery staple"
pw = unicodedata.normalize("NFKC", passphrase).encode()
acct = bytes.fromhex("00112233445566778899aabbccddeeff")
seed = bytes(range(32))
secret_key = bytes(range(0x70, 0x80))
kdf_salt = hashlib.sha256(L + b"/kdf-salt\x00" + acct + seed).digest()[:16]
stretched = hashlib.pbkdf2_hmac("sha256", pw, kdf_salt, 600_000, 32)
root = hkdf(stretched, L + b"/root-v2\x00" + acct, salt=secret_key)
auth_key = hkdf(root, L + b"/auth\x00" + acct)
kek = hkdf(root, L + b"/kek\x00" + acct)
verifier = hmac.new(bytes(32), auth_key, hashlib.sha256).digest()
dek = bytes(range(0x20, 0x40))
key_id = (1).to_bytes(4, "big")
wrap_iv = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaab")
wrapped = wrap_iv + AESGCM(kek).encrypt(wrap_iv, dek, L + b"/dek\x00" + acct + key_id)
# The record-id key: AES-GCM's keystream of the first data key under the all-zero IV (never used
# for a record), over 32 zero bytes; then record ids are HMAC-SHA256 under it, cut to 16 bytes.
id_key = AESGCM(dek).encrypt(bytes(12), bytes(32), L + b"/record-id-key\x00" + acct)[:32]
record_id = hmac.new(id_key, L + b"/record-id\x00" + b"people\x00p1", hashlib.sha256).digest()[:16]

print(
    json.dumps(
        {
            "label": L.decode(),
            "kdf_version": 2,
            "passphrase": passphrase,
            "account_id": acct.hex(),
            "seed": seed.hex(),
            "secret_key": secret_key.hex(),
            "iterations": 600_000,
            "kdf_salt": kdf_salt.hex(),
            "stretched": stretched.hex(),
            "root": root.hex(),
            "auth_key": auth_key.hex(),
            "auth_verifier (pepper = 32 zero bytes)": verifier.hex(),
            "kek": kek.hex(),
            "dek": dek.hex(),
            "wrap_iv": wrap_iv.hex(),
            "wrapped_dek": wrapped.hex(),
            "id_key": id_key.hex(),
            "record_id_of_people_p1": record_id.hex(),
        },
        indent=1,
    )
)
