"""The plaintext a record is encrypted as, and the `merge` op: what to store, what the engine
changes, what it refuses or holds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from followup import hlc
from followup.sync import (
    DELETED,
    Replica,
    SyncError,
    decode_replica,
    encode_replica,
    merge_request,
    plaintext,
)

from .sync_builders import NODE_A, NODE_B, NOW, T0, clock, edit, person

# --- Plaintext and the merge op -------------------------------------------------------------------


def test_plaintext_is_canonical_json_that_decodes_to_the_same_state() -> None:
    replica, _ = edit(None, person(name="Zoë", tags=["b", "a"]))

    text = plaintext(replica)

    assert (
        text
        == json.dumps(
            json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    )
    assert decode_replica(json.loads(text)) == replica


def test_the_appendix_a_plaintext_is_what_we_would_encrypt() -> None:
    stamp_ = "2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"
    replica = Replica("contact", "x", {"name": ("Ada Lovelace", stamp_)})
    body = encode_replica(replica)
    del body["i"], body["v"]  # the appendix leaves them out for brevity

    assert json.dumps(body, sort_keys=True, separators=(",", ":")) == (
        '{"f":{"name":["Ada Lovelace","2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"]},'
        '"t":"contact"}'
    )


@pytest.mark.parametrize("raw", [None, {"t": "people"}, {"t": "people", "i": "p", "f": {"x": [1]}}])
def test_a_damaged_state_is_refused_with_a_code(raw: object) -> None:
    with pytest.raises(SyncError) as refused:
        decode_replica(raw)

    assert refused.value.code == "bad-record"


def test_a_state_from_a_newer_format_is_refused_as_such() -> None:
    with pytest.raises(SyncError) as refused:
        decode_replica({"v": 2, "t": "people", "i": "p", "f": {}})

    assert refused.value.code == "newer-format"


def test_a_clock_that_does_not_parse_counts_as_the_oldest() -> None:
    replica = decode_replica({"t": "people", "i": "p", "f": {"name": ["x", "zzz"]}})

    assert replica.fields["name"] == ("x", hlc.ZERO)


def _op(records: list[dict[str, Any]], clock_: str = "") -> dict[str, Any]:
    return {"op": "merge", "now": NOW, "node": NODE_A, "clock": clock_, "records": records}


def test_the_merge_op_returns_what_to_store_and_what_the_engine_changes() -> None:
    theirs, _ = edit(None, person(name="Grace Hopper", tags=["mentor"]), node=NODE_B)

    result = merge_request(
        _op(
            [{"key": "people/p1", "local": None, "pending": {}, "remote": [encode_replica(theirs)]}]
        )
    )

    answer = result.answer
    assert answer["rejected"] == []
    assert answer["put"]["people"][0]["name"] == "Grace Hopper"
    assert answer["put"]["people"][0]["tags"] == ["mentor"]
    assert answer["records"][0]["replica"] is None  # the state sent, not echoed back
    assert answer["records"][0]["changed"] is True
    assert [p.name for p in result.put] == ["Grace Hopper"]  # type: ignore[union-attr]
    assert answer["clock"] > max(s for _, s in theirs.fields.values())
    json.dumps(answer)


def test_the_merge_op_deletes_a_record_deleted_elsewhere() -> None:
    ours, _ = edit(None, person())
    theirs, _ = edit(ours, None, node=NODE_B, at=T0 + 5)

    result = merge_request(
        _op(
            [
                {
                    "key": "people/p1",
                    "local": encode_replica(ours),
                    "pending": {},
                    "remote": [encode_replica(theirs)],
                }
            ]
        )
    )

    assert result.answer["records"][0]["replica"]["f"][DELETED][0] is True
    assert result.answer["delete"] == {"people": ["p1"]}
    assert result.delete == [("people", "p1")]
    assert result.answer["put"] == {}


def test_one_damaged_record_is_rejected_and_the_rest_of_the_page_applies() -> None:
    good, _ = edit(None, person(pid="p2", name="Katherine Johnson"), node=NODE_B)

    result = merge_request(
        _op(
            [
                {"key": "people/p1", "local": None, "remote": [{"t": "people"}]},
                {"key": "people/p2", "local": None, "remote": [encode_replica(good)]},
            ]
        )
    )

    assert [r["key"] for r in result.answer["rejected"]] == ["people/p1"]
    assert [r["key"] for r in result.answer["records"]] == ["people/p2"]


def test_a_field_from_a_newer_app_is_kept_for_sync_but_left_out_of_the_record() -> None:
    theirs, _ = edit(None, person(), node=NODE_B)
    fields = dict(theirs.fields)
    fields["linkedin"] = ("ada", fields["name"][1])
    newer = Replica("people", "p1", fields)

    result = merge_request(
        _op([{"key": "people/p1", "local": None, "remote": [encode_replica(newer)]}])
    )

    assert result.answer["records"][0]["replica"] is None  # kept as sent, linkedin included
    assert "linkedin" not in result.answer["put"]["people"][0]
    assert len(result.put) == 1


def test_a_record_the_engine_cannot_read_is_held_not_shown() -> None:
    bad = Replica("people", "p1", {"name": (42, str(clock(NODE_B, T0)))})

    result = merge_request(
        _op([{"key": "people/p1", "local": None, "remote": [encode_replica(bad)]}])
    )

    assert result.answer["records"][0]["held"]
    assert result.answer["put"] == {}
    assert result.put == []


def test_settings_and_the_profile_sync_but_other_meta_records_only_merge() -> None:
    profile = Replica(
        "meta",
        "profile",
        {
            k: (v, str(clock(NODE_B, T0)))
            for k, v in {"name": "Me", "email": "", "phone": ""}.items()
        },
    )
    other = Replica("meta", "device", {"x": (1, str(clock(NODE_B, T0)))})

    result = merge_request(
        _op(
            [
                {"key": "meta/profile", "local": None, "remote": [encode_replica(profile)]},
                {"key": "meta/device", "local": None, "remote": [encode_replica(other)]},
            ]
        )
    )

    assert result.answer["put"] == {
        "meta": [{"id": "profile", "name": "Me", "email": "", "phone": ""}]
    }
    assert len(result.answer["records"]) == 2
