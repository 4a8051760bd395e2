"""The user's knobs: rule timings, keep-in-touch cadences, Today's horizon, and own templates.

Stored as the `meta` record `{id: "settings", ...}`; every key is optional and falls back to the
defaults below. Unknown keys and out-of-range numbers are errors naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .bounds import clean_text
from .errors import CodecError
from .reminder_settings import DEFAULT_REMINDERS, Reminders, decode_reminders, encode_reminders
from .template import check


class Rule(StrEnum):
    """Every follow-up rule; the value is the first part of a follow-up's key."""

    REACH_OUT = "reach-out"
    THANK_YOU = "thank-you"
    MET_AT_EVENT = "met-at-event"
    REJECTION_THANKS = "rejection-thanks"
    CLOSE_LOOP = "close-loop"
    CLOSE_LOOP_OUTCOME = "close-loop-outcome"
    ACT_ON_ADVICE = "act-on-advice"
    REPORT_BACK = "report-back"
    PROMISE = "promise"
    GRATITUDE = "gratitude"
    COURTESY_NOTE = "courtesy-note"
    KEEP_IN_TOUCH = "keep-in-touch"
    LAST_NOTE = "last-note"
    REPLY = "reply"  # someone is waiting for your answer (reply_rule.py, issue 18)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleTiming:
    """`due_hours` after the trigger it is due; `expire_days` after the due time it is dropped."""

    enabled: bool = True
    due_hours: int
    expire_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Cadences:
    """Days between keep-in-touch notes, by relationship; 0 turns it off."""

    introducer: int
    reference: int
    met: int


@dataclass(frozen=True, slots=True, kw_only=True)
class KeepInTouch:
    searching: Cadences = Cadences(introducer=30, reference=60, met=60)
    landed: Cadences = Cadences(introducer=60, reference=90, met=120)
    max_per_day: int = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    """The user's own wording; an empty part means "use the built-in one"."""

    subject: str = ""
    body: str = ""
    sms: str = ""


DEFAULT_TIMINGS: Mapping[Rule, RuleTiming] = MappingProxyType(
    {
        Rule.REACH_OUT: RuleTiming(due_hours=24, expire_days=30),
        # Seed 001: "the chances that he will remember that dinner with you after a week are
        # pretty low", so a thank-you is not suggested once it is a week late.
        Rule.THANK_YOU: RuleTiming(due_hours=24, expire_days=7),
        Rule.MET_AT_EVENT: RuleTiming(due_hours=24, expire_days=7),
        Rule.REJECTION_THANKS: RuleTiming(due_hours=24, expire_days=30),
        Rule.CLOSE_LOOP: RuleTiming(due_hours=48, expire_days=60),
        Rule.CLOSE_LOOP_OUTCOME: RuleTiming(due_hours=48, expire_days=60),
        Rule.ACT_ON_ADVICE: RuleTiming(due_hours=7 * 24, expire_days=60),
        Rule.REPORT_BACK: RuleTiming(due_hours=48, expire_days=60),
        Rule.PROMISE: RuleTiming(due_hours=0, expire_days=30),
        Rule.GRATITUDE: RuleTiming(due_hours=72, expire_days=60),
        Rule.COURTESY_NOTE: RuleTiming(due_hours=24, expire_days=60),
        Rule.KEEP_IN_TOUCH: RuleTiming(due_hours=0, expire_days=0),
        Rule.LAST_NOTE: RuleTiming(due_hours=48, expire_days=14),
        # Issue 18: a question left unanswered for 2 days shows on Today ("the reply window").
        Rule.REPLY: RuleTiming(due_hours=48, expire_days=30),
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    rules: Mapping[Rule, RuleTiming] = field(default_factory=lambda: DEFAULT_TIMINGS)
    keep_in_touch: KeepInTouch = KeepInTouch()
    # A search rarely lasts more than six months; older helpers are thanked by keep-in-touch.
    gratitude_lookback_days: int = 180
    horizon_days: int = 7
    max_items: int = 100
    # Stop rules (stop.py): stop nudging someone who has not answered this many messages.
    stop_after_unanswered: int = 2
    templates: Mapping[Rule, Template] = field(default_factory=dict)
    reminders: Reminders = DEFAULT_REMINDERS  # the morning digest (reminder_settings.py)
    # The voice of the built-in drafts: one of TONES (the user's own templates win).
    tone: str = "warm"
    # Imported history (interactions with a `source_id`) older than this many days sets dates
    # and states but creates no follow-up (issue 18; agenda.py).
    history_window_days: int = 30


DEFAULT_SETTINGS = Settings()
TONES = ("warm", "brief", "formal")

# The smallest and largest value of each number, by its name (the last part of its field).
RANGES: Mapping[str, tuple[int, int]] = {
    "due_hours": (0, 24 * 365),
    "expire_days": (0, 3650),
    "introducer": (0, 3650),
    "reference": (0, 3650),
    "met": (0, 3650),
    "max_per_day": (0, 1000),
    "lookback_days": (1, 3650),
    "horizon_days": (0, 90),
    "max_items": (1, 1000),
    "after_unanswered": (1, 20),
    "window_days": (0, 3650),
}


def decode_settings(raw: Mapping[str, Any], field: str = "settings") -> Settings:
    """Settings from their stored shape; missing keys take the defaults."""
    _only(
        raw,
        {
            "id",
            "rules",
            "keep_in_touch",
            "gratitude",
            "today",
            "stop",
            "templates",
            "reminders",
            "drafts",
            "history",
        },
        field,
    )
    settings = DEFAULT_SETTINGS
    if "rules" in raw:
        rules = dict(DEFAULT_TIMINGS)
        for name, value in _mapping(raw["rules"], f"{field}.rules").items():
            rule = _rule(name, f"{field}.rules")
            where = f"{field}.rules.{name}"
            base = rules[rule]
            obj = _mapping(value, where)
            _only(obj, {"enabled", "due_hours", "expire_days"}, where)
            rules[rule] = RuleTiming(
                enabled=_bool(obj.get("enabled", base.enabled), f"{where}.enabled"),
                due_hours=_int(obj.get("due_hours", base.due_hours), f"{where}.due_hours"),
                expire_days=_int(obj.get("expire_days", base.expire_days), f"{where}.expire_days"),
            )
        settings = replace(settings, rules=rules)
    if "keep_in_touch" in raw:
        settings = replace(settings, keep_in_touch=_keep_in_touch(raw["keep_in_touch"], field))
    if "gratitude" in raw:
        obj = _mapping(raw["gratitude"], f"{field}.gratitude")
        _only(obj, {"lookback_days"}, f"{field}.gratitude")
        days = obj.get("lookback_days", settings.gratitude_lookback_days)
        settings = replace(
            settings, gratitude_lookback_days=_int(days, f"{field}.gratitude.lookback_days")
        )
    if "today" in raw:
        obj = _mapping(raw["today"], f"{field}.today")
        _only(obj, {"horizon_days", "max_items"}, f"{field}.today")
        settings = replace(
            settings,
            horizon_days=_int(
                obj.get("horizon_days", settings.horizon_days), f"{field}.today.horizon_days"
            ),
            max_items=_int(obj.get("max_items", settings.max_items), f"{field}.today.max_items"),
        )
    if "stop" in raw:
        obj = _mapping(raw["stop"], f"{field}.stop")
        _only(obj, {"after_unanswered"}, f"{field}.stop")
        after = obj.get("after_unanswered", settings.stop_after_unanswered)
        settings = replace(
            settings, stop_after_unanswered=_int(after, f"{field}.stop.after_unanswered")
        )
    if "templates" in raw:
        templates: dict[Rule, Template] = {}
        for name, value in _mapping(raw["templates"], f"{field}.templates").items():
            rule = _rule(name, f"{field}.templates")
            where = f"{field}.templates.{name}"
            obj = _mapping(value, where)
            _only(obj, {"subject", "body", "sms"}, where)
            parts = {k: _text(obj.get(k, ""), f"{where}.{k}") for k in ("subject", "body", "sms")}
            for part, text in parts.items():
                check(text, f"{where}.{part}")
            template = Template(**parts)
            if template != Template():
                templates[rule] = template
        settings = replace(settings, templates=templates)
    if "reminders" in raw:
        settings = replace(
            settings, reminders=decode_reminders(raw["reminders"], f"{field}.reminders")
        )
    if "drafts" in raw:
        obj = _mapping(raw["drafts"], f"{field}.drafts")
        _only(obj, {"tone"}, f"{field}.drafts")
        settings = replace(settings, tone=tone_of(obj.get("tone", "warm"), f"{field}.drafts.tone"))
    if "history" in raw:
        obj = _mapping(raw["history"], f"{field}.history")
        _only(obj, {"window_days"}, f"{field}.history")
        days = obj.get("window_days", settings.history_window_days)
        settings = replace(settings, history_window_days=_int(days, f"{field}.history.window_days"))
    return settings


def tone_of(value: object, field: str) -> str:
    """One of TONES, or an error naming `field`."""
    if value not in TONES:
        raise CodecError(
            "unknown-value", f"'{value}' is not a tone; choose one of: {', '.join(TONES)}.", field
        )
    return str(value)


def encode_settings(settings: Settings) -> dict[str, Any]:
    """The full stored shape (every key present), as the `meta` record."""
    kit = settings.keep_in_touch
    return {
        "id": "settings",
        "rules": {
            str(rule): {
                "enabled": timing.enabled,
                "due_hours": timing.due_hours,
                "expire_days": timing.expire_days,
            }
            for rule, timing in sorted(settings.rules.items())
        },
        "keep_in_touch": {
            "searching": _cadences_dict(kit.searching),
            "landed": _cadences_dict(kit.landed),
            "max_per_day": kit.max_per_day,
        },
        "gratitude": {"lookback_days": settings.gratitude_lookback_days},
        "today": {"horizon_days": settings.horizon_days, "max_items": settings.max_items},
        "stop": {"after_unanswered": settings.stop_after_unanswered},
        "templates": {
            str(rule): {"subject": t.subject, "body": t.body, "sms": t.sms}
            for rule, t in sorted(settings.templates.items())
        },
        "reminders": encode_reminders(settings.reminders),
        "drafts": {"tone": settings.tone},
        "history": {"window_days": settings.history_window_days},
    }


def merge_settings(current: Settings, patch: Mapping[str, Any]) -> Settings:
    """`current` with the keys in `patch` changed (a deep merge of the stored shapes)."""
    merged = _deep_merge(encode_settings(current), patch)
    if "templates" in patch:
        merged["templates"] = {**encode_settings(current)["templates"], **dict(patch["templates"])}
    return decode_settings(merged)


def _deep_merge(base: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _keep_in_touch(raw: object, field: str) -> KeepInTouch:
    where = f"{field}.keep_in_touch"
    obj = _mapping(raw, where)
    _only(obj, {"searching", "landed", "max_per_day"}, where)
    base = KeepInTouch()
    return KeepInTouch(
        searching=_cadences(obj.get("searching"), base.searching, f"{where}.searching"),
        landed=_cadences(obj.get("landed"), base.landed, f"{where}.landed"),
        max_per_day=_int(obj.get("max_per_day", base.max_per_day), f"{where}.max_per_day"),
    )


def _cadences(raw: object, base: Cadences, field: str) -> Cadences:
    if raw is None:
        return base
    obj = _mapping(raw, field)
    names = {f.name for f in fields(Cadences)}
    _only(obj, names, field)
    values = {n: _int(obj.get(n, getattr(base, n)), f"{field}.{n}") for n in sorted(names)}
    return Cadences(**values)


def _cadences_dict(c: Cadences) -> dict[str, int]:
    return {"introducer": c.introducer, "reference": c.reference, "met": c.met}


def _rule(name: str, field: str) -> Rule:
    try:
        return Rule(name)
    except ValueError:
        raise CodecError("unknown-value", f"There is no rule called '{name}'.", field) from None


def _only(obj: Mapping[str, Any], allowed: set[str], field: str) -> None:
    for key in obj:
        if key not in allowed:
            raise CodecError("unknown-field", f"'{key}' is not a setting here.", f"{field}.{key}")


def _mapping(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CodecError("wrong-type", "This should be an object.", field)
    return value


def _bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise CodecError("wrong-type", "This should be true or false.", field)
    return value


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise CodecError("wrong-type", "This should be text.", field)
    return clean_text(value, field)


def _int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CodecError("wrong-type", "This should be a whole number.", field)
    low, high = RANGES[field.rsplit(".", 1)[-1]]
    if not low <= value <= high:
        raise CodecError("out-of-range", f"This should be between {low} and {high}.", field)
    return value
