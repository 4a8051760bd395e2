"""What a message from someone says, read on the device with rules and word lists (issue 18).

`asks_question(text)`: does a message from them ask something (the importers set
`Interaction.asks` with it, so the reply rule knows an answer is owed)?
`classify_reply(text)`: yes, no, later, question or out of office, with the words that decided
(classify_words.py holds the lists, per language).
"""

from __future__ import annotations

import re

from .classify_text import own_text, words_of
from .classify_words import QUESTION_OPENERS, QUESTION_PHRASES

# A question mark, including the Spanish opening one and the full-width one.
QUESTION_MARK = re.compile("[?\u00bf\uff1f]")


def asks_question(text: str) -> bool:
    """True when the message's own text (quoted thread and signature left out) asks something:
    a question mark, or a sentence that opens like a question ("could you", "pourriez-vous")."""
    own = own_text(text)
    if QUESTION_MARK.search(own):
        return True
    for sentence in re.split(r"[.!\n]+", own):
        words = words_of(sentence)
        if not words:
            continue
        if words[0] in QUESTION_OPENERS or " ".join(words[:2]) in QUESTION_OPENERS:
            return True
        joined = " " + " ".join(words) + " "
        if any(f" {p} " in joined for p in QUESTION_PHRASES):
            return True
    return False
