"""A pure-Python reference client of docs/sync-protocol.md, for driving the real server.

keys.py holds the key schedule, envelope.py the envelope, records.py the record merge and
device.py the client itself; every name is importable from here.

The key schedule (SYNC-DESIGN §6.1) and the envelope (§6.3) use Python `cryptography` and must
match WebCrypto byte for byte (test_refclient_vectors.py). The label is a parameter so the
design's Appendix A vectors (`jsn-sync/v1`) check the same code as ours.

The record merge here is a deliberately minimal per-field last-writer-wins over HLC strings: a
stand-in for the engine's `followup/sync.py`, which is the real one (the lead switches the
convergence tests to it). Its only job is to be commutative, associative and idempotent, so that
any divergence these tests find is the server's or the protocol's.
"""

from __future__ import annotations

from .device import Batch, Device, Rejected, ServerError, TransportLostError, b64, unb64
from .envelope import (
    ENVELOPE_VERSION,
    PAD_BLOCK,
    TamperedError,
    open_envelope,
    pad,
    record_aad,
    seal,
    unpad,
)
from .keys import (
    ITERATIONS,
    LABEL,
    Keys,
    dek_aad,
    derive,
    hkdf,
    id_key,
    kdf_salt,
    keyed_record_id,
    recovery_keys,
    unwrap,
    wrap,
)
from .records import Clock, State, canonical, format_hlc, is_deleted, merge_states, parse_hlc

__all__ = [
    "ENVELOPE_VERSION",
    "ITERATIONS",
    "LABEL",
    "PAD_BLOCK",
    "Batch",
    "Clock",
    "Device",
    "Keys",
    "Rejected",
    "ServerError",
    "State",
    "TamperedError",
    "TransportLostError",
    "b64",
    "canonical",
    "dek_aad",
    "derive",
    "format_hlc",
    "hkdf",
    "id_key",
    "is_deleted",
    "kdf_salt",
    "keyed_record_id",
    "merge_states",
    "open_envelope",
    "pad",
    "parse_hlc",
    "record_aad",
    "recovery_keys",
    "seal",
    "unb64",
    "unpad",
    "unwrap",
    "wrap",
]
