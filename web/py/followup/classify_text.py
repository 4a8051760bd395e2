"""The part of a pasted message that is theirs: the quoted thread, forwarded headers and the
signature left out, then its words, lower-cased (classify.py reads these)."""

from __future__ import annotations

import re
import unicodedata

# A line that opens the quoted thread below a reply, in the languages the corpus holds. A
# client may wrap "On …, X <x@y> wrote:" over two lines, so the opener is tested on a line and on
# a line joined with the next.
_QUOTE_HEADER = re.compile(
    r"^\s*("
    r"on\b.{0,200}\bwrote\s*:"
    r"|le\b.{0,200}\ba\s+écrit\s*:"
    r"|el\b.{0,200}\bescribió\s*:"
    r"|am\b.{0,200}\bschrieb.{0,80}:"
    r"|em\b.{0,200}\bescreveu\s*:"
    r"|il\b.{0,200}\bha\s+scritto\s*:"
    r"|op\b.{0,200}\bschreef.{0,80}:"
    r"|-{2,}\s*(original message|message d'origine|mensaje original|ursprüngliche nachricht"
    r"|mensagem original|forwarded message|message transféré)\s*-{2,}"
    r"|_{8,}"
    r"|(from|de|von|da|van)\s*:\s*.+@.+"
    r")\s*$",
    re.IGNORECASE,
)
# The signature's start: the "-- " line, and what a phone adds.
_SIGNATURE = re.compile(
    r"^\s*(--\s*"
    r"|sent from my .*|get outlook for .*|envoyé de mon .*|enviado desde mi .*"
    r"|von meinem .* gesendet|enviado do meu .*|inviato da .*"
    r")$",
    re.IGNORECASE,
)
_WORD = re.compile("[^\\W_]+(?:'[^\\W_]+)*", re.UNICODE)


def own_text(text: str) -> str:
    """`text` up to the quoted thread or the signature, without "> " lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _QUOTE_HEADER.match(line) or (
            line.strip()
            and _QUOTE_HEADER.match(line.rstrip() + " " + following.strip())
            and not following.lstrip().startswith(">")
            and _starts_quote_header(line)
        ):
            break
        if _SIGNATURE.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _starts_quote_header(line: str) -> bool:
    first = line.strip().split(" ", 1)[0].lower()
    return first in {"on", "le", "el", "am", "em", "il", "op"}


def words_of(text: str) -> list[str]:
    """The words of `text`, lower-cased, accents kept, curly apostrophes made straight."""
    folded = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")
    return _WORD.findall(folded)
