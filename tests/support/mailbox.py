"""A generated mail archive, shaped like Google Takeout's Gmail export: `From ` separator lines,
long Received/DKIM header blocks, encoded words, multipart bodies, and mostly mail from people
the user does not know (newsletters, notifications), with one message in `every` to or from
one of `people` known addresses. Written to disk as it is made, so any size costs no memory.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

OWN = "me@example.org"
_RECEIVED = "".join(
    f"Received: by 2002:a05:{i:x}::{i * 7:x} with SMTP id x{i}csp{i * 31};\r\n"
    f"        Mon, 5 Oct 2026 10:0{i}:00 -0700 (PDT)\r\n"
    for i in range(6)
)
_DKIM = (
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=20230601;\r\n"
    "        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject\r\n"
    "        :date:message-id:reply-to; bh=" + "A" * 44 + ";\r\n"
    "        b=" + "Zm9vYmFy" * 40 + "\r\n"
)
_BODY = (
    '--b1\r\nContent-Type: text/plain; charset="UTF-8"\r\nContent-Transfer-Encoding: '
    "quoted-printable\r\n\r\n"
    + ("Some text of the message that nobody reads here. " * 20 + "\r\n") * 3
    + '\r\n--b1\r\nContent-Type: text/html; charset="UTF-8"\r\n\r\n<div>'
    + "<p>Hello there, this is the HTML part.</p>" * 20
    + "</div>\r\n--b1--\r\n"
)


def person(i: int) -> str:
    return f"person{i}@example.com"


def write_mbox(path: Path, size: int, *, people: int = 50, every: int = 50) -> int:
    """Write about `size` bytes of mbox to `path`; returns how many messages it holds."""
    start = datetime(2026, 6, 1, tzinfo=UTC)
    n = written = 0
    with path.open("wb") as out:
        while written < size:
            at = start + timedelta(minutes=7 * n)
            date = at.strftime("%a, %d %b %Y %H:%M:%S +0000")
            if n % every == 0:
                who = person(n // every % people)
                sender, to = (who, OWN) if n % (2 * every) == 0 else (OWN, who)
                subject = "=?UTF-8?Q?Caf=C3=A9_next_week=3F?=" if sender != OWN else "Re: coffee"
            else:
                sender, to, subject = f"news{n % 997}@list.example.net", OWN, "Your weekly digest"
            stamp = at.strftime("%a %b %d %H:%M:%S +0000 %Y")
            message = (
                f"From {1700000000000000000 + n}@xxx {stamp}\r\n"
                f"X-GM-THRID: {1700000000000000000 + n}\r\nX-Gmail-Labels: Inbox\r\n"
                + _RECEIVED
                + _DKIM
                + f"From: Someone <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
                f"Date: {date}\r\nMessage-ID: <m{n}@gen.example>\r\nMIME-Version: 1.0\r\n"
                'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
                + _BODY.replace("\r\nFrom", "\r\n>From")
                + "\r\n"
            ).encode()
            out.write(message)
            written += len(message)
            n += 1
    return n
