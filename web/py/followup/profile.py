"""The user's own card: its fields, the checks a saved card passes, and the card as a vCard with
its QR code (made by `segno`, so phones' cameras read it as a contact)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import ValidationError
from .model import Profile


@dataclass(frozen=True, slots=True)
class CardField:
    name: str
    label: str
    hint: str = ""
    required: bool = False


CARD_FIELDS: tuple[CardField, ...] = (
    CardField("name", "Your name", required=True),
    CardField("role", "Role", "e.g. Sales lead, looking for my next role"),
    CardField("organisation", "Organisation"),
    CardField("email", "Email"),
    CardField("phone", "Phone"),
    CardField("url", "Website or LinkedIn"),
)
_LABEL = {f.name: f.label for f in CARD_FIELDS}
MAX_LENGTH = 200

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
_WEB = re.compile(r"https?://([^/?#\s]+)(?:[/?#]\S*)?", re.IGNORECASE)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def normalise_url(url: str) -> str:
    """A web address with its scheme: people type "linkedin.com/in/ana"."""
    url = url.strip()
    if not url:
        return ""
    return url if _SCHEME.match(url) else f"https://{url}"


def tel_uri(phone: str) -> str:
    """A phone number as a tel: URI (RFC 3966): its digits, and a leading + if it had one."""
    phone = phone.strip()
    return "tel:" + ("+" if phone.startswith("+") else "") + re.sub(r"[^0-9]", "", phone)


def problem(name: str, value: str) -> str | None:
    """What is wrong with one field of the card, in a sentence naming it, or None."""
    v = value.strip()
    if name == "name" and not v:
        return "Your name: enter it, so people know whose card this is."
    if name == "email" and v and not _EMAIL.fullmatch(v):
        return f"Email: “{v}” does not look like an email address (for example ana@example.com)."
    if name == "phone" and v:
        if not _PHONE.fullmatch(v):
            return "Phone: use digits, spaces and a leading + only (for example +44 20 7946 0123)."
        if len(re.sub(r"[^0-9]", "", v)) < 5:
            return "Phone: that number is too short."
    if name == "url" and v and not _is_web_address(normalise_url(v)):
        return (
            f"Website or LinkedIn: “{v}” is not a web address "
            "(for example linkedin.com/in/your-name)."
        )
    if len(v) > MAX_LENGTH:
        return f"{_LABEL[name]}: keep it under {MAX_LENGTH} characters."
    return None


def _is_web_address(url: str) -> bool:
    """An http(s) address whose host has a dot: "linkedin.com/in/ana", not "not a site"."""
    found = _WEB.fullmatch(url)
    if found is None:
        return False
    host = found.group(1).rsplit("@", 1)[-1].split(":", 1)[0]
    return "." in host.strip(".")


def problems(profile: Profile) -> list[tuple[str, str]]:
    """Every field that needs fixing, in the card's order, as (field, sentence)."""
    found = ((f.name, problem(f.name, getattr(profile, f.name))) for f in CARD_FIELDS)
    return [(name, text) for name, text in found if text is not None]


def tidy(profile: Profile) -> Profile:
    """The card as it is kept: no stray spaces, and the web address with its scheme."""
    trimmed = replace(
        profile, **{f.name: getattr(profile, f.name).strip() for f in fields(Profile)}
    )
    return replace(trimmed, url=normalise_url(trimmed.url))


def checked(profile: Profile, where: str = "") -> Profile:
    """The tidied card, or a ValidationError naming the first field that needs fixing."""
    found = problems(profile)
    if found:
        name, text = found[0]
        raise ValidationError("bad-card", text, f"{where}.{name}" if where else name)
    return tidy(profile)


def is_shareable(profile: Profile) -> bool:
    """A card worth a QR code: a name and at least one way to reach them."""
    return bool(profile.name.strip()) and any(
        v.strip() for v in (profile.email, profile.phone, profile.url)
    )


def summary(profile: Profile) -> str:
    values = (getattr(profile, f.name).strip() for f in CARD_FIELDS)
    return ", ".join(v for v in values if v)


def filename(profile: Profile) -> str:
    """The file a downloaded card is saved as: "Ana María Lima" -> "ana-maria-lima.vcf"."""
    plain = unicodedata.normalize("NFKD", profile.name.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return f"{slug or 'my-card'}.vcf"


def encode_fields() -> list[dict[str, Any]]:
    return [
        {"name": f.name, "label": f.label, "hint": f.hint, "required": f.required}
        for f in CARD_FIELDS
    ]
