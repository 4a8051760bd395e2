"""A generated LinkedIn "Get a copy of your data" archive, shaped like a real export.

Connections.csv with a byte-order mark and the "Notes:" preamble; messages.csv with group
conversations, InMail, messages from people who are not connections and sponsored messages;
Invitations.csv; Profile.csv; and the job applications under `Jobs/`. Deterministic for a seed.
Used by the parser and engine tests, the e2e test and bench/bench_linkedin_history.py.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

OWNER = "Sam Seeker"
OWNER_URL = "https://www.linkedin.com/in/sam-seeker"
NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\n\n'
)
FIRSTS = ("Ana", "Ben", "Chloé", "Dev", "Eli", "Fatima", "Goran", "Hana", "Ivo", "June", "Kofi")
LASTS = ("Ruiz", "Okafor", "Nguyen", "Berg", "Kowalski", "Haddad", "Silva", "Tanaka", "Moreau")
ORGS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises")
QUESTIONS = (
    "Would you have 20 minutes next week for a quick call?",
    "Could you send me your CV?",
    "Are you still looking for a role in data?",
)
STATEMENTS = ("Thanks, great to hear from you.", "Congrats on the new role!", "Sounds good.")


@dataclass
class Spec:
    connections: int = 20
    messages: int = 60
    now: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    seed: int = 18
    days: int = 200  # messages spread over this many days before `now`
    recent_questions: int = 3  # conversations whose last message is theirs, asking, 3-10 days old
    names: list[str] = field(default_factory=list)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _url(name: str) -> str:
    return "https://www.linkedin.com/in/" + name.lower().replace(" ", "-").replace("é", "e")


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _us(at: datetime) -> str:
    return f"{at.month}/{at.day}/{at.strftime('%y')}, {at.strftime('%I:%M %p').lstrip('0')}"


def people(spec: Spec) -> list[str]:
    names: list[str] = []
    for i in range(spec.connections):
        first, last = FIRSTS[i % len(FIRSTS)], LASTS[(i // len(FIRSTS)) % len(LASTS)]
        extra = i // (len(FIRSTS) * len(LASTS))
        names.append(f"{first} {last}{f' {extra}' if extra else ''}")
    return names


def archive_files(spec: Spec) -> dict[str, str]:
    rnd = random.Random(spec.seed)
    names = spec.names or people(spec)
    connections = [
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    ]
    for i, name in enumerate(names):
        first, last = name.split(" ", 1)
        day = spec.now - timedelta(days=30 + i % 700)
        email = f"{first.lower()}.{i}@example.com" if i % 3 == 0 else ""
        connections.append(
            [
                first,
                last,
                _url(name),
                email,
                ORGS[i % len(ORGS)],
                "Engineer",
                day.strftime("%d %b %Y"),
            ]
        )
    header = [
        "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
        "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
    ]  # fmt: skip
    messages: list[list[str]] = [header]
    strangers = ["Rita Recruiter", "Otto Outsider"]

    def say(
        conv: str,
        title: str,
        sender: str,
        to: list[str],
        at: datetime,
        text: str,
        folder: str = "INBOX",
        subject: str = "",
    ) -> None:
        messages.append(
            [conv, title, sender, _url(sender), ", ".join(to), ", ".join(_url(t) for t in to),
             _stamp(at), subject, text, folder]
        )  # fmt: skip

    count = 0
    n = 0
    # Recent questions waiting for a reply (their message is the conversation's last).
    for q in range(min(spec.recent_questions, len(names))):
        who = names[q]
        conv = f"2-q{q}"
        at = spec.now - timedelta(days=3 + q * 3, hours=2)
        say(conv, "", OWNER, [who], at - timedelta(days=1), "Hi! Good to connect.", "SENT")
        say(conv, "", who, [OWNER], at, QUESTIONS[q % len(QUESTIONS)])
        count += 2
    # A group conversation, an InMail from a non-connection you answered, a sponsored message,
    # and a one-way message from someone you never answered.
    if len(names) >= 3 and count + 10 <= spec.messages:
        group = [names[0], names[1], names[2]]
        at = spec.now - timedelta(days=40)
        say("2-group", "Meetup planning", OWNER, group, at, "Shall we meet in May?", "SENT")
        say(
            "2-group",
            "Meetup planning",
            names[1],
            [OWNER, names[0], names[2]],
            at + timedelta(hours=1),
            "Yes, count me in.",
        )
        say(
            "2-inmail",
            "",
            strangers[0],
            [OWNER],
            at,
            "A role you may like?",
            "INMAIL",
            "Senior role at Hooli",
        )
        say(
            "2-inmail",
            "",
            OWNER,
            [strangers[0]],
            at + timedelta(days=1),
            "Yes, tell me more.",
            "SENT",
            "RE: Senior role at Hooli",
        )
        say("2-cold", "", strangers[1], [OWNER], at, "Buy my course?", "INBOX")
        messages.append(
            [
                "2-ad",
                "Sponsored",
                "LinkedIn Ads",
                "",
                OWNER,
                OWNER_URL,
                _stamp(at),
                "Grow your career",
                "An offer!",
                "SPONSORED",
            ]
        )
        count += 5
    while count < spec.messages:
        who = names[rnd.randrange(len(names))]
        conv = f"2-c{n}"
        n += 1
        at = spec.now - timedelta(days=15 + rnd.randrange(spec.days), minutes=rnd.randrange(600))
        for k in range(min(4, spec.messages - count)):
            mine = k % 2 == 0
            text = STATEMENTS[rnd.randrange(len(STATEMENTS))]
            if mine:
                say(conv, "", OWNER, [who], at, text, "SENT")
            else:
                say(conv, "", who, [OWNER], at, text)
            at += timedelta(hours=5)
            count += 1
    invitations = [
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    ]
    for i, name in enumerate(names[: max(1, len(names) // 10)]):
        at = spec.now - timedelta(days=60 + i)
        if i % 2:
            invitations.append(
                [
                    OWNER,
                    name,
                    _us(at),
                    "Hi, we met at the meetup.",
                    "OUTGOING",
                    OWNER_URL,
                    _url(name),
                ]
            )
        else:
            invitations.append([name, OWNER, _us(at), "", "INCOMING", _url(name), OWNER_URL])
    jobs = [
        [
            "Application Date",
            "Contact Email",
            "Contact Phone Number",
            "Company Name",
            "Job Title",
            "Job Url",
            "Resume Name",
            "Question And Answers",
        ]
    ]
    for i in range(3):
        at = spec.now - timedelta(days=5 + 7 * i)
        jobs.append(
            [
                _us(at),
                "sam@example.com",
                "",
                ORGS[i],
                f"Data Analyst {i}",
                f"https://www.linkedin.com/jobs/view/{100 + i}",
                "cv.pdf",
                "",
            ]
        )
    saved = [
        ["Saved Date", "Job Url", "Job Title", "Company Name"],
        [_us(spec.now), "https://x", "Chef", "Nowhere"],
    ]
    profile = [
        ["First Name", "Last Name", "Maiden Name", "Headline", "Public Profile Url"],
        ["Sam", "Seeker", "", "Analyst", OWNER_URL],
    ]
    return {
        "Connections.csv": "\ufeff" + NOTES + _csv(connections),
        "messages.csv": _csv(messages),
        "Invitations.csv": _csv(invitations),
        "Profile.csv": _csv(profile),
        "Jobs/Job Applications.csv": _csv(jobs),
        "Jobs/Saved Jobs.csv": _csv(saved),
        "Rich_Media.csv": _csv([["Date/Time", "Media Link"]]),
    }


def archive_zip(spec: Spec, files: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in (files or archive_files(spec)).items():
            z.writestr(path, text.encode())
    return out.getvalue()
