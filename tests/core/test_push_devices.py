"""The devices that get the morning digest by Web Push (push_devices.py): one synced meta
record, one field per device, so devices that subscribe at the same time both stay."""

from __future__ import annotations

import base64
import json
from typing import Any

from followup import sync
from followup.api import call
from followup.sync import Replica, encode_replica, merge_request

from .sync_builders import NODE_A, NODE_B, NOW, T0, clock

P256DH = base64.urlsafe_b64encode(b"\x04" + bytes(64)).rstrip(b"=").decode()
AUTH = base64.urlsafe_b64encode(bytes(16)).rstrip(b"=").decode()


def api(op: str, **args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(call(json.dumps({"op": op, **args})))
    return answer


def subscription(n: int = 1, **changes: Any) -> dict[str, Any]:
    return {
        "endpoint": f"https://push.example/{n}",
        "p256dh": P256DH,
        "auth": AUTH,
        "name": f"Phone {n}",
        "zone": "Europe/Berlin",
        "app": "https://app.example/",
        **changes,
    }


def test_a_device_subscribing_adds_its_own_field_and_keeps_the_others() -> None:
    first = api("push_device", record=None, device="phone", subscription=subscription(1))
    record = first["put"]["meta"][0]
    second = api("push_device", record=record, device="laptop", subscription=subscription(2))

    assert record == {"id": "push_devices", "phone": subscription(1)}
    assert [d["device"] for d in second["devices"]] == ["laptop", "phone"]
    assert second["put"]["meta"][0]["phone"] == subscription(1)


def test_a_device_turning_push_off_clears_its_field_so_the_change_syncs() -> None:
    record = api("push_device", record=None, device="phone", subscription=subscription())
    off = api("push_device", record=record["put"]["meta"][0], device="phone", subscription=None)

    assert off["put"]["meta"][0] == {"id": "push_devices", "phone": None}
    assert off["devices"] == []


def test_the_record_travels_between_devices_and_nothing_else_of_the_shells_does() -> None:
    assert sync.is_synced("meta", "push_devices")
    assert not sync.is_synced("meta", "schedule")


def test_a_bad_subscription_is_refused_naming_the_field() -> None:
    plain = api("push_device", device="phone", subscription=subscription(endpoint="http://x/1"))
    short = api("push_device", device="phone", subscription=subscription(auth="AAAA"))
    bad_device = api("push_device", device="no spaces", subscription=subscription())

    assert (plain["ok"], plain["field"]) == (False, "subscription.endpoint")
    assert (short["ok"], short["field"]) == (False, "subscription.auth")
    assert (bad_device["ok"], bad_device["field"]) == (False, "device")


def test_at_most_ten_devices_get_push_as_the_server_allows() -> None:
    record: dict[str, Any] | None = None
    for n in range(10):
        record = api("push_device", record=record, device=f"d{n}", subscription=subscription(n))[
            "put"
        ]["meta"][0]
    eleventh = api("push_device", record=record, device="d10", subscription=subscription(10))
    again = api("push_device", record=record, device="d3", subscription=subscription(33))

    assert eleventh["error"] == "too-many-devices"
    assert again["ok"]


def test_entries_that_cannot_be_used_are_left_out_of_the_list() -> None:
    record = {"id": "push_devices", "good": subscription(), "broken": {"endpoint": 3}, "gone": None}

    assert [d["device"] for d in api("push_devices", record=record)["devices"]] == ["good"]


def test_two_devices_subscribing_at_once_both_stay_after_sync() -> None:
    mine = Replica("meta", "push_devices", {"phone": (subscription(1), str(clock(NODE_A, T0)))})
    theirs = Replica(
        "meta", "push_devices", {"laptop": (subscription(2), str(clock(NODE_B, T0 + 5)))}
    )

    result = merge_request(
        {
            "op": "merge",
            "now": NOW,
            "node": NODE_A,
            "clock": "",
            "records": [
                {
                    "key": "meta/push_devices",
                    "local": encode_replica(mine),
                    "pending": {},
                    "remote": [encode_replica(theirs)],
                }
            ],
        }
    )

    stored = result.answer["put"]["meta"][0]
    assert stored == {"id": "push_devices", "phone": subscription(1), "laptop": subscription(2)}
    assert [d["device"] for d in api("push_devices", record=stored)["devices"]] == [
        "laptop",
        "phone",
    ]
