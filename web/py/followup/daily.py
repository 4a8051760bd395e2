"""From first run to daily use: whether to offer the first run and what it says, whether event
mode is still on, and reading "Head of sales at Acme" into a role and an organisation. Ops
`(state, fields) -> (state, answer)` as in api.py; `DAILY_OPS` joins its table.

- `first_run`: whether the first run is offered, its steps' words, the name drafts are signed
  with, and how to install the app (by what the browser offers).
- `event_mode`: whether event mode is still on for an event's day, given the shell's `now` and
  `today` (it ends by itself when the day is over, or at a time the user set).
- `parse_line`: the role and organisation one line of context names, or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from .catalog import GRATITUDE_ROLES, OPPORTUNITY_ROLES
from .checklist import Item
from .fields import Fields, parse_day, parse_instant
from .graph import chain_people
from .model import Opportunity
from .state import State

Answer = tuple[State, dict[str, Any]]

STEPS: tuple[dict[str, str], ...] = (
    {
        "id": "name",
        "title": "Your name",
        "text": (
            "Every draft Followthrough writes for you ends with your name. "
            "Write it as you sign your messages."
        ),
        "label": "Your name, as you sign",
        "hint": "For example Ana Lima. You can change it later in Settings → My card.",
        "action": "Save and continue",
    },
    {
        "id": "data",
        "title": "Your contacts stay with you",
        "text": (
            "Everything you save is kept on this device, and works offline. Nobody else sees "
            "it, us included. Export a backup file now and then from More → Import and export. "
            "If you use more than one device, you can turn on sync later: it is optional and "
            "end-to-end encrypted."
        ),
        "action": "Keep my data on this device",
    },
    {
        "id": "people",
        "title": "Your first person",
        "text": (
            "Add someone you met or who introduced you, or import the contacts you already "
            "have (a vCard or CSV file from your phone, Google or LinkedIn)."
        ),
        "action": "Add a person",
        "other": "Import contacts",
    },
)

INSTALL = {
    "prompt": "Install Followthrough: it opens like an app, from your home screen, even offline.",
    "button": "Install the app",
    "ios": (
        "To keep Followthrough on your home screen: tap Share, then “Add to Home Screen”. "
        "It then opens like an app, even offline."
    ),
}

NEXT_STEP = (
    "Next: capture the first person you met or who helped you, and Followthrough tells you "
    "when to follow up, with a draft signed with your name."
)


def _first_run(state: State, f: Fields) -> Answer:
    """Offered until it is finished or skipped, and never to someone who already has people
    saved (they were using the app before it had a first run)."""
    show = not state.settings.first_run_done and not state.people
    name = state.profile.name.strip()
    return state, {
        "show": show,
        "steps": list(STEPS),
        "name": name,
        "signature": name,
        "skip": "Skip",
        "skip_all": "Skip the introduction",
        "progress": [f"Step {i} of {len(STEPS)}" for i in range(1, len(STEPS) + 1)],
        "install": INSTALL,
        "next": NEXT_STEP,
        "done": "You are set up.",
    }


def _event_mode(state: State, f: Fields) -> Answer:
    """Event mode stays on through the event's day (the shell's `today`), and until `until`
    when the user set an end time; an event later than today keeps it on until its day ends."""
    day = parse_day(f.value("date"), "date")
    today = parse_day(f.value("today"), "today")
    now = parse_instant(f.value("now"), "now")
    until = f.raw.get("until")
    ends = parse_instant(until, "until") if until not in (None, "") else None
    name = f.line("name")
    over_day = today > day
    over_time = ends is not None and now >= ends
    on = not over_day and not over_time
    what = f"“{name}”" if name else "the event"
    ended = None
    if not on:
        ended = (
            f"Event mode ended at the time you set: new people are no longer linked to {what}."
            if over_time and not over_day
            else f"Event mode ended with the day of {what} ({_day(day)}): new people are no "
            "longer linked to it."
        )
    return state, {
        "on": on,
        "ends_at": ends.isoformat() if ends else None,
        "ended": ended,
    }


def _day(day: date) -> str:
    """Sat 5 Dec."""
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"


def doors_words(doors: int, direct: int) -> str | None:
    """What the person page says beside the names someone introduced you to: the count agrees
    with the list, and says so when it reaches further ("Opened 3 doors" beside two names)."""
    if doors <= 0:
        return None
    people = "1 person" if direct == 1 else f"{direct} people"
    if doors <= direct:
        return f"Introduced you to {people}."
    more = doors - direct
    further = "1 more" if more == 1 else f"{more} more"
    if direct == 0:
        return f"Opened {doors} doors for you."
    return f"Introduced you to {people}, and through them to {further}."


def role_words(state: State, opp: Opportunity, item: Item) -> list[str]:
    """Why someone is in the gratitude round, in words that fit them: "Introduced you along the
    way" only for someone who introduced you to someone; the person at the end of the chain is
    named by their part in the opportunity ("Hiring manager"), or as your way in."""
    words: list[str] = []
    pid = item.person_id
    key = ("daily", "chain", opp.id)
    found = state.memo.get(key)
    if not isinstance(found, dict):
        found = state.memo[key] = chain_people(state, opp)
    chain: dict[Any, set[Any]] = found
    for role in item.roles:
        if role == "chain" and pid is not None and not chain.get(pid):
            link = next((x for x in opp.people if x.person_id == pid), None)
            words.append(OPPORTUNITY_ROLES[link.role] if link else "Your way in")
        else:
            words.append(GRATITUDE_ROLES.get(role, role))
    return list(dict.fromkeys(words))


_AT = re.compile(r"^(?P<role>.{2,100}?)\s+(?:at|@)\s+(?P<org>.{2,100})$", re.IGNORECASE)
_ATTACHED = re.compile(r"^(?P<role>[^@\s].{0,99}?)\s*@\s*(?P<org>\S.{1,99})$")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_COMMA = re.compile(r"^(?P<role>[^,]{2,80}),\s*(?P<org>[^,]{2,80})$")
# Words that start a role: the comma form ("recruiter, Initech") is read only with one of them,
# so "Paris, France" or "Ana, Bruno" are not taken for a role and an organisation.
_ROLE_WORDS = frozenset(
    """
    head chief ceo cto cfo coo cmo vp director manager lead engineer developer designer pm
    product recruiter recruiting talent hr founder cofounder co-founder partner analyst
    consultant architect scientist researcher marketing sales account owner president
    senior junior staff principal intern associate specialist officer editor writer
    professor teacher advisor adviser investor student
    """.split()  # noqa: SIM905
)

# Lines about a meeting, not a job: "met at the meetup", "coffee at Blue Bottle".
_NOT_ROLES = frozenset(
    """
    met meet meeting saw seen talked spoke chatted introduced intro lunch coffee dinner
    drinks call called sat talk chat via from
    """.split()  # noqa: SIM905
)


def parse_line(text: str) -> dict[str, str] | None:
    """ "Head of sales at Acme", "PM @ Globex", "recruiter, Initech" → role and organisation;
    anything after a further comma is the rest of the note ("…at Acme, talk about X")."""
    line = " ".join(text.split())
    if not line or _EMAIL.search(line):
        return None
    head, _, rest = line.partition(", ")
    for pattern, candidate in ((_AT, head), (_ATTACHED, head)):
        found = pattern.match(candidate)
        if found:
            return _found(found.group("role"), found.group("org"), rest)
    found = _COMMA.match(line) or _COMMA.match(", ".join(line.split(", ")[:2]))
    if found and found.group("role").split()[0].casefold().strip(".") in _ROLE_WORDS:
        rest = ", ".join(line.split(", ")[2:])
        return _found(found.group("role"), found.group("org"), rest)
    return None


def _found(role: str, org: str, rest: str) -> dict[str, str] | None:
    role, org = role.strip(" -\u2013|·"), org.strip(" -\u2013|·.")
    if not role or not org or role.split()[0].casefold() in _NOT_ROLES:
        return None
    if org.split()[0].casefold() in ("the", "a", "an") and org[0].islower():
        return None
    return {"role": role, "organisation": org, "rest": rest.strip()}


def _parse_line(state: State, f: Fields) -> Answer:
    text = f.text("text")
    found = parse_line(text)
    if found is None:
        return state, {"found": None, "question": None}
    return state, {
        "found": found,
        "question": f"Role: {found['role']}. Organisation: {found['organisation']}.",
        "fill": "Fill them in",
        "filled": f"Filled in: {found['role']} at {found['organisation']}.",
        "undo": "Undo",
    }


DAILY_OPS: Mapping[str, tuple[tuple[str, ...], Callable[[State, Fields], Answer]]] = {
    "first_run": ((), _first_run),
    "event_mode": (("date", "until", "name"), _event_mode),
    "parse_line": (("text",), _parse_line),
}
