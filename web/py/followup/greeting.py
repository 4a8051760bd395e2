"""What to call someone at the top of a message: the name the user set for them ("call them"),
else the given name of their structured name, else the first real name in their full name once
titles, initials, suffixes and email addresses are gone; failing all, nothing (the greeting is
then a neutral "Hello,").
"""

from __future__ import annotations

import re

from .common_words import words
from .model import Person

# Compared case-folded and without their dots: "Mr." and "MR" alike.
HONORIFICS = frozenset(
    words(
        """
        mr mrs ms miss mx mister madam madame dr doctor prof professor sir dame lord lady rev
        reverend fr father sr sra srta doña herr frau fräulein m mme mlle dott dssa ing arch
        avv sig sigra capt captain col gen lt sgt hon rabbi imam sheikh pastor bishop cllr dipl
        """
    )
)
SUFFIXES = frozenset(
    words(
        """
        jr jnr sr snr ii iii iv v vi phd md mba msc ma ba bsc esq cpa pe rn dds dvm jd llm
        mphil dphil frcs obe mbe cbe kbe qc kc cfa pmp mcs meng beng
        """
    )
)
_EMAIL = re.compile(r"\S+@\S+")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|\"[^\"]*\"")
_LETTER = re.compile(r"[^\W\d_]")


def called(person: Person | None) -> str:
    """The name a greeting uses for `person`, or "" when none can be trusted."""
    if person is None:
        return ""
    own = " ".join(_EMAIL.sub(" ", person.call_them).split())
    if own and _LETTER.search(own):
        return own
    given = _words(person.given_name)
    if given:
        return " ".join(_cased(w) for w in given)
    if person.organisation and person.name.strip().casefold() == person.organisation.casefold():
        return ""  # a card without a name, filed under its organisation
    return first_name_of(person.name)


def first_name_of(name: str) -> str:
    """The first real name in a full name ("Dr. J. Ana Lopez, PhD" → "Ana"), or ""."""
    text = _BRACKETS.sub(" ", _EMAIL.sub(" ", name))
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    pieces = [p for p in pieces if _words(p)]  # "PhD", "Jr." after a comma: nothing left
    if len(pieces) >= 2 and len(_words(pieces[0])) == 1 and not _is_title(pieces[0]):
        # "Lopez, Ana": family name first, as address books sort them.
        pieces = [pieces[1], pieces[0]]
    if not pieces:
        return ""
    words = _words(pieces[0])
    raw = pieces[0].split()
    if len(words) == 1 and len(raw) > 1 and raw[-1].strip(".,") == words[0]:
        return ""  # "Dr Smith", "J. R. Smith": only a family name is left to call them by
    return _cased(words[0]) if words else ""


def greeting(person: Person | None, tone: str = "warm") -> str:
    """The greeting line: "Hi Ana," ("Dear Ana," when formal), or "Hello," without a name."""
    name = called(person)
    if not name:
        return "Hello,"
    return f"Dear {name}," if tone == "formal" else f"Hi {name},"


def _words(text: str) -> list[str]:
    """The words of a name that can be called: no titles, initials, suffixes or numbers."""
    out = []
    for word in _EMAIL.sub(" ", text).replace(",", " ").split():
        bare = word.strip(".'\u2019-")
        if not _LETTER.search(bare) or _is_title(bare) or _is_suffix(bare) or _is_initial(word):
            continue
        out.append(word.strip(".,;:"))
    return out


def _is_title(word: str) -> bool:
    return word.casefold().replace(".", "").strip() in HONORIFICS


def _is_suffix(word: str) -> bool:
    return word.casefold().replace(".", "").strip() in SUFFIXES


def _is_initial(word: str) -> bool:
    """ "J", "J.", "J.R.", "A.-M.": letters one at a time, with dots or hyphens."""
    letters = [p for p in re.split(r"[.\-]", word) if p]
    return bool(letters) and all(len(p) == 1 for p in letters)


def _cased(word: str) -> str:
    """ "ANA" and "ana" as "Ana"; "McKay" and "de" as they are typed."""
    if (word.isupper() and len(word) > 1) or word.islower():
        return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
    return word
