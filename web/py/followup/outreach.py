"""Handing a message to the phone's own apps: the mailto:, sms: and tel: links for a draft, and
whether an address typed into it is worth keeping on the person.

The shell asks for them through `send_links` each time the user edits a draft, so the edited
text is what the mail or messages app opens with.
"""

from __future__ import annotations

import re
from typing import Any

from .addresses import is_email
from .model import Channel

# encodeURIComponent's set: these stay as they are, everything else is %-encoded (UTF-8).
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()")
# Fewer digits than this is not a number worth saving on the person.
MIN_DIGITS = 5


def dialable(phone: str) -> str:
    """The number as a dialer wants it: "+44 (20) 7946-0000" becomes "+442079460000"."""
    digits = re.sub(r"[^\d+]", "", phone.strip())
    return digits[:1] + digits[1:].replace("+", "")


def is_typed_email(text: str) -> bool:
    """Whether typed text is an email address (addresses.py) to save on the person."""
    return is_email(text.strip())


def is_phone(text: str) -> bool:
    """Whether typed text is a number the phone can call or text."""
    return len(dialable(text)) >= MIN_DIGITS


def _encode(text: str, keep: str = "") -> str:
    return "".join(
        c
        if c in _UNRESERVED or c in keep
        else "".join(f"%{b:02X}" for b in c.encode(errors="replace"))
        for c in text
    )


def send_link(
    channel: Channel, to: str, subject: str = "", body: str = "", ios: bool = False
) -> str:
    """The link that hands a message to the phone's own app, "" when there is none (a card, or
    a text or call without a number).

    - mailto: (RFC 6068): line breaks as CRLF; several addresses separated by commas.
    - sms: (RFC 5724) `?body=`; iOS only reads the body after `&`, so it gets `&body=`.
    - tel: (RFC 3966): the dialable number.
    """
    if channel is Channel.EMAIL:
        crlf = re.compile(r"\r?\n")
        addresses = [a for a in re.split(r"[\s,;]+", to) if a]
        address = ",".join(_encode(a, keep="@") for a in addresses)
        query = [
            f"{name}={_encode(crlf.sub(chr(13) + chr(10), value))}"
            for name, value in (("subject", subject), ("body", body))
            if value
        ]
        return f"mailto:{address}" + (f"?{'&'.join(query)}" if query else "")
    if channel in (Channel.SMS, Channel.CALL):
        number = dialable(to)
        if not number:
            return ""
        if channel is Channel.CALL:
            return f"tel:{number}"
        return f"sms:{number}" + (f"{'&' if ios else '?'}body={_encode(body)}" if body else "")
    return ""


def send_links(
    *, email: str, phone: str, subject: str, body: str, sms: str, ios: bool
) -> dict[str, Any]:
    """Every channel's link for a draft as the user has it now, and which typed addresses are
    worth keeping on the person."""
    return {
        "links": {
            Channel.EMAIL.value: send_link(Channel.EMAIL, email, subject, body),
            Channel.SMS.value: send_link(Channel.SMS, phone, body=sms, ios=ios),
            Channel.CALL.value: send_link(Channel.CALL, phone),
        },
        "valid": {"email": is_typed_email(email), "phone": is_phone(phone)},
    }
