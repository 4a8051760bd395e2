"""The built-in templates of the rules added with bundles, landing and stop rules (see
template.py for the syntax), joined into wording.BUILT_IN with one line. Every fact sits inside
an optional section, so a built-in never renders empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .settings import Rule, Template

_SIGN = "\n\n{sign_off},\n[{my_name}]"


def _t(subject: str, body: str, sms: str, sign_off: str = "Best wishes") -> Template:
    return Template(subject=subject, body=body + _SIGN.replace("{sign_off}", sign_off), sms=sms)


MORE_BUILT_IN: Mapping[Rule, Template] = MappingProxyType(
    {
        Rule.LAST_NOTE: _t(
            "[Thank you, {first_name}|Thank you]",
            "[Hi {first_name},|Hello,]\n\n"
            "I know how full inboxes get, so I won't keep writing. Thank you for the time you "
            "have already given me.\n\n"
            "If things change, my door is always open, and I'd be glad to hear from you.",
            "[Hi {first_name}, |Hello, ]I won't keep writing, but thank you for your time. "
            "My door is always open.[ {my_name}]",
            "All the best",
        ),
        Rule.REPLY: _t(
            "[Re: {their_subject}|Your message]",
            "[Hi {first_name},|Hello,]\n\n"
            "Thank you for your message[ {met_when}][ about {their_subject}], and sorry to keep "
            "you waiting.",
            "[Hi {first_name}, |Hello, ]thanks for your message[ about {their_subject}]. "
            "Sorry to keep you waiting.[ {my_name}]",
        ),
    }
)
