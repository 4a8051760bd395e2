"""Free text the user typed, made to fit inside a sentence of a draft.

People type reasons, topics, advice and notes as they come: "talk to him about media sales",
"re: NBC!!", "Her move into media sales", "send CV 🙏". A draft quotes them mid-sentence
("Ana thought we should talk about …"), so each kind of slot gets its own shaping:
`topic` (after "about"), `advice` and `step` (after a colon), `thing` (what was promised). Text
that cannot be made to read as a phrase is quoted as the user's own words.
"""

from __future__ import annotations

import re
import unicodedata

from .common_words import COMMON, words

_FIRST_LINE_MAX = 140
_QUOTE_OVER_WORDS = 14
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|tr|sv)\s*:\s*|(?:subject|topic|note|advice)\s*:\s*)+", re.I
)
_PRONOUN = r"(?:him|her|them|me|us|you|each other|[A-Z][\w'\u2019-]+)"
_TALK = (
    r"(?:talk(?:ed|ing)?|chat(?:ted|ting)?|speak(?:ing)?|spoke|catch(?:ing)? up|caught up|"
    r"connect(?:ed|ing)?|meet(?:ing)?|met|ask(?:ed|ing)?|learn(?:ed|ing)? more|hear(?:d)? more|"
    r"follow(?:ed)?[ -]up|think(?:ing)?|thought|told (?:me|us)|tell (?:me|us)|know more)"
)
_LEAD = re.compile(
    r"^(?:(?:we|i|they|you|he|she)\s+(?:should|could|might|can|will|must|need to|want to|"
    r"wanted to|would|'d|'ll)?\s*|(?:should|could|maybe|perhaps|please|pls|to|let'?s)\s+)?"
    rf"(?:{_TALK}(?:\s+(?:to|with)\s+{_PRONOUN})?\s+"
    r"(?:about|re\b:?|on|regarding|around|concerning|of)\s+"
    r"|(?:discuss(?:ed|ing)?|cover(?:ed)?|explore(?:d)?)\s+"
    r"|(?:about|regarding|concerning|re\b:?)\s+"
    r"|(?:intro(?:duction)?|introduced|referral|referred)\s+(?:re\b:?|for|about|regarding)\s+)",
    re.I,
)
_END_PUNCTUATION = ".,;:!?…-\u2013—"
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+\S")
_MULTI_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\.{2,}")


def first_line(text: str) -> str:
    """The first non-empty line, at most about 140 characters, cut at a word."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) > _FIRST_LINE_MAX:
        line = line[:_FIRST_LINE_MAX].rsplit(" ", 1)[0].rstrip(",;:-\u2013 ")
    return line


def topic(text: str) -> str:
    """What something was about, to follow "about": leading verbs, "re:" and end punctuation
    gone, an ordinary first word in lower case; quoted if it still reads as a clause; "" for
    several sentences or a long one (the draft then leaves the topic out).
    "Talk to him about Media sales!" → "media sales"."""
    phrase = _strip_lead(_bare(text))
    if not phrase or _SENTENCE_INSIDE.search(phrase) or len(phrase.split()) > _QUOTE_OVER_WORDS:
        return ""  # notes of several sentences, or a long one: no topic to name
    if _reads_as_sentence(phrase):
        return _quoted(phrase)
    return _lower_first(phrase)


def advice(text: str) -> str:
    """Advice as it follows "you suggested:": a lower-case start, no end punctuation.
    "Advice: Talk to the agency side too." → "talk to the agency side too"."""
    phrase = _bare(text)
    phrase = re.sub(
        r"^(?:(?:you|he|she|they)\s+(?:said|suggested|told me)\s*:?\s*)", "", phrase, flags=re.I
    )
    phrase = re.sub(r"^(?:that\s+)?(?:i\s+should\s+)", "", phrase, flags=re.I)
    if _SENTENCE_INSIDE.search(phrase) or len(phrase.split()) > _QUOTE_OVER_WORDS + 6:
        return _quoted(phrase)
    return _lower_first(phrase)


def step(text: str) -> str:
    """Something the user did or says, after a colon: their words, tidied, a verb or ordinary
    first word in lower case ("Called two agencies." → "called two agencies")."""
    return _lower_first(_bare(text))


def thing(text: str) -> str:
    """What was promised, as the thing being sent if it is one ("send him my CV" → "my CV"),
    else "" (the draft then quotes the promise whole)."""
    phrase = _bare(text)
    m = re.match(
        r"^(?:i'?ll\s+|i\s+will\s+|to\s+)?(?:send|share|forward|email|mail|pass on|attach)\s+"
        r"(?:(?:him|her|them|you)\s+|(?:it\s+)?(?:over\s+)?(?:to\s+(?:him|her|them|you)\s+)?)?"
        r"((?:my|our|the|a|an|some|that|this|those|these)\s.+)$",
        phrase,
        re.I,
    )
    if not m or _SENTENCE_INSIDE.search(phrase):
        return ""
    return _lower_first(m.group(1))


def promise(text: str) -> str:
    """A promise quoted whole, after "I said I would:"."""
    phrase = _bare(text)
    phrase = re.sub(
        r"^(?:i'?ll|i\s+will|i\s+promised\s+to|promised\s+to|to)\s+", "", phrase, flags=re.I
    )
    return _lower_first(phrase)


def sentence(text: str) -> str:
    """The user's words as a sentence of its own, without its end punctuation (the template
    brings it): a capital first letter, nothing else changed."""
    phrase = _bare(text)
    return phrase[:1].upper() + phrase[1:]


def line(text: str) -> str:
    """The user's one line (an answer to "How did it go?"), as a sentence of its own."""
    phrase = _MULTI_SPACE.sub(" ", text).strip()
    if not phrase:
        return ""
    phrase = phrase[:1].upper() + phrase[1:]
    return phrase if phrase[-1] in ".!?…)”\"'" else phrase + "."


def _bare(text: str) -> str:
    phrase = first_line(unicodedata.normalize("NFC", text))
    phrase = _ELLIPSIS.sub("…", phrase)
    phrase = _ISO_DAY.sub(_spoken_day, phrase)
    for _ in range(3):
        before = phrase
        phrase = _PREFIX.sub("", phrase)
        phrase = _strip_ends(phrase)
        if phrase == before:
            break
    return _MULTI_SPACE.sub(" ", phrase).strip()


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = words(
    "January February March April May June July August September October November December"
)


def _spoken_day(m: re.Match[str]) -> str:
    """ "2026-11-23" → "23 November 2026": a date as people write it in a letter."""
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    return f"{day} {_MONTHS[month - 1]} {year}"


def _strip_ends(phrase: str) -> str:
    """No end punctuation, no emoji or symbols hanging at either end, no wrapping quotes."""
    phrase = phrase.strip()
    while phrase and (
        phrase[-1] in _END_PUNCTUATION or _is_symbol(phrase[-1]) or phrase[-1].isspace()
    ):
        phrase = phrase[:-1]
    while phrase and (_is_symbol(phrase[0]) or phrase[0] in "-\u2013—•*>#" or phrase[0].isspace()):
        phrase = phrase[1:]
    for left, right in (('"', '"'), ("“", "”"), ("'", "'"), ("\u2018", "\u2019"), ("(", ")")):
        if len(phrase) > 2 and phrase[0] == left and phrase[-1] == right:
            phrase = phrase[1:-1].strip()
    return phrase.rstrip(_END_PUNCTUATION).strip()


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Cf", "Mn") or char in "\ufe0f\u200d"


def _strip_lead(phrase: str) -> str:
    for _ in range(2):
        stripped = _LEAD.sub("", phrase, count=1)
        if stripped == phrase or not stripped.strip():
            break
        phrase = _strip_ends(stripped)
    return phrase


def _reads_as_sentence(phrase: str) -> bool:
    words = phrase.split()
    if _SENTENCE_INSIDE.search(phrase) or len(words) > _QUOTE_OVER_WORDS:
        return True
    first = words[0].casefold().strip("'\u2019")
    second = words[1].casefold() if len(words) > 1 else ""
    # "she's hiring", "he is moving", "they need", "I want": a clause, not a thing.
    if first in _SUBJECTS and (second in _AUXILIARIES or "'" in words[0] or "\u2019" in words[0]):
        return True
    if (
        first in _SUBJECTS
        and len(words) > 1
        and second.endswith(("s", "ed"))
        and second not in COMMON
    ):
        return True
    return first in _IMPERATIVES


def _lower_first(phrase: str) -> str:
    """The first word in lower case when it is an ordinary word typed with a capital ("Her
    move" → "her move"); names, acronyms and words we don't know keep their case."""
    if not phrase:
        return phrase
    words = phrase.split(" ")
    if len(words) > 1 and all(_is_common_capital(w) or w.casefold() in _SMALL for w in words):
        return " ".join(w.lower() for w in words)  # "Media Sales", typed in title case
    head, _, rest = phrase.partition(" ")
    core = head.rstrip("'\u2019s:,") if head.endswith(("'s", "\u2019s")) else head.rstrip(":,")
    if core[:1].isupper() and core[1:].islower() and core.casefold() in COMMON:
        head = head[:1].lower() + head[1:]
    return f"{head} {rest}".strip() if rest else head


def _is_common_capital(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and word.casefold() in COMMON


_SMALL = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "with"})


def _quoted(phrase: str) -> str:
    return f"“{phrase}”"


_SUBJECTS = frozenset(
    {
        "i",
        "i'm",
        "i\u2019m",
        "she",
        "he",
        "they",
        "we",
        "it",
        "you",
        "she's",
        "he's",
        "they're",
        "we're",
        "it's",
        "there's",
        "she\u2019s",
        "he\u2019s",
        "they\u2019re",
        "we\u2019re",
        "it\u2019s",
        "there\u2019s",
    }
)
_AUXILIARIES = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "might",
        "may",
        "must",
        "does",
        "did",
        "do",
        "wants",
        "needs",
        "knows",
        "thinks",
        "said",
        "says",
    }
)
_IMPERATIVES = frozenset(
    {
        "send",
        "call",
        "email",
        "ping",
        "check",
        "look",
        "get",
        "go",
        "ask",
        "find",
        "read",
        "apply",
        "update",
        "reach",
        "write",
        "try",
        "make",
        "remember",
        "don't",
        "dont",
        "pls",
        "please",
        "intro",
        "introduce",
        "set",
        "schedule",
        "book",
    }
)
