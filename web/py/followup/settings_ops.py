"""The api's operations for the Settings screen and "My card": handlers taking `(state, fields)`
and returning `(state, answer)`, as in api.py. `SETTINGS_OPS` joins its table.

- `settings`: the user's settings, their defaults and ranges, the template facts with examples,
  the built-in wording, and each rule's subject as it would read.
- `preview_template`: a template checked and rendered with example facts, part by part.
- `check_profile`: every field of a typed card that needs fixing, and the card as it is kept.
- `my_card`: the saved card, its fields, its vCard and its QR code.
- `qr`: the QR code of any text (the sync pairing link).
- `data_safety`: how many people this device holds and how old the last copy of them is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .codec import decode_profile, encode_profile
from .errors import CodecError, EngineError, ValidationError
from .fields import Fields, parse_instant
from .interop.vcard import write_own_card
from .profile import encode_fields, filename, is_shareable, problems, summary, tidy
from .qr import encode_qr, qr_code
from .settings import DEFAULT_SETTINGS, RANGES, TONES, Rule, Template, encode_settings
from .state import State
from .template import PLACEHOLDERS, example_facts, preview, render
from .wording import BUILT_IN
from .wording_tones import TONE_LABELS

Answer = tuple[State, dict[str, Any]]
PARTS = ("subject", "body", "sms")
# A copy this old (or none at all) is worth a reminder.
STALE_DAYS = 7


def _settings(state: State, f: Fields) -> Answer:
    defaults = encode_settings(DEFAULT_SETTINGS)
    del defaults["id"], defaults["templates"]
    return state, {
        "settings": encode_settings(state.settings),
        "defaults": defaults,
        # "Restore the defaults" under Timings: every timed rule, Today's list and gratitude.
        "timing_defaults": {
            "rules": {k: v for k, v in defaults["rules"].items() if k != Rule.KEEP_IN_TOUCH},
            "today": defaults["today"],
            "stop": defaults["stop"],
            "gratitude": defaults["gratitude"],
            "history": defaults["history"],
        },
        "ranges": {name: list(bounds) for name, bounds in RANGES.items()},
        "placeholders": dict(PLACEHOLDERS),
        "examples": example_facts("", state.profile.name),
        "built_in": {
            rule.value: {"subject": t.subject, "body": t.body, "sms": t.sms}
            for rule, t in BUILT_IN.items()
        },
        "subjects": {rule.value: _subject(state, rule) for rule in Rule},
        # The voice of the built-in drafts (settings.drafts.tone), for a select.
        "tones": [{"value": t, "label": TONE_LABELS[t]} for t in TONES],
    }


def _subject(state: State, rule: Rule) -> str:
    own = state.settings.templates.get(rule, Template())
    text = own.subject or BUILT_IN[rule].subject
    return render(text, example_facts(rule, state.profile.name))


def _preview_template(state: State, f: Fields) -> Answer:
    rule = _rule(f.ident("rule"))
    parts = Fields(f.raw.get("template", {}), "template", PARTS)
    facts = example_facts(rule, state.profile.name)
    base = BUILT_IN[rule]
    previews: dict[str, Any] = {}
    save: dict[str, str] = {}
    for part in PARTS:
        text = parts.text(part)
        built_in: str = getattr(base, part)
        # Unchanged built-in wording is kept as "use the built-in" (""), so it follows updates.
        save[part] = "" if text.strip() == built_in.strip() else text
        try:
            previews[part] = {"text": preview(text or built_in, facts, f"template.{part}")}
        except EngineError as error:
            previews[part] = {
                "text": None,
                "error": {"code": error.code, "message": error.message, "field": error.field},
            }
    valid = all("error" not in p for p in previews.values())
    return state, {"previews": previews, "valid": valid, "save": save}


def _rule(name: str) -> Rule:
    try:
        return Rule(name)
    except ValueError:
        raise CodecError("unknown-value", f"There is no rule called '{name}'.", "rule") from None


def _check_profile(state: State, f: Fields) -> Answer:
    profile = decode_profile(f.value("profile"), "profile")
    found = problems(profile)
    return state, {
        "problems": [{"field": name, "message": text} for name, text in found],
        "profile": {k: v for k, v in encode_profile(tidy(profile)).items() if k != "id"},
    }


def _my_card(state: State, f: Fields) -> Answer:
    profile = state.profile
    card: dict[str, Any] = {
        "fields": encode_fields(),
        "profile": {k: v for k, v in encode_profile(profile).items() if k != "id"},
        "shareable": is_shareable(profile),
        "vcard": None,
        "filename": filename(profile),
        "summary": summary(profile),
        "qr": None,
    }
    if card["shareable"]:
        card["vcard"] = write_own_card(profile)
        card["qr"] = _qr_or_none(card["vcard"])
    return state, card


def _qr_or_none(text: str) -> dict[str, object] | None:
    try:
        return encode_qr(qr_code(text))
    except ValidationError:
        return None  # too long for a QR code: the page offers the .vcf download instead


def _qr(state: State, f: Fields) -> Answer:
    return state, {"qr": encode_qr(qr_code(f.text("text"), "text"))}


def _data_safety(state: State, f: Fields) -> Answer:
    now = parse_instant(f.value("now"), "now")
    backup = _copy(f.raw.get("backup_at"), now, "backup_at")
    synced = _copy(f.raw.get("synced_at"), now, "synced_at")
    persisted = f.raw.get("persisted") is True
    copies = [c["days"] for c in (backup, synced) if c is not None]
    days = min(copies) if copies else None
    people = len(state.people)
    remind = (days is None or days >= STALE_DAYS) and people > 0 and not persisted
    noun = "person" if people == 1 else "people"
    return state, {
        "people": people,
        "backup": backup,
        "synced": synced,
        "days_since_copy": days,
        "remind": remind,
        "heading": "Back up your contacts" if remind else "Backup",
        "reminder": (
            f"You have {people} {noun} saved only on this device. Export a backup file, or "
            "turn on sync, so a cleared browser does not lose them."
            if remind
            else None
        ),
    }


def _copy(value: object, now: datetime, field: str) -> dict[str, Any] | None:
    """When a copy was made, and how long ago in words ("3 days ago")."""
    if value is None:
        return None
    at = parse_instant(value, field)
    days = int((now - at).total_seconds() // 86_400)
    words = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
    return {"at": at.isoformat(), "days": days, "ago": words}


SETTINGS_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "settings": ((), _settings),
    "preview_template": (("rule", "template"), _preview_template),
    "check_profile": (("profile",), _check_profile),
    "my_card": ((), _my_card),
    "qr": (("text",), _qr),
    "data_safety": (("backup_at", "synced_at", "persisted"), _data_safety),
}
