"""The word lists the classifier reads (classify.py), per language: English, French, Spanish,
German, Portuguese. Lower case; a phrase is words joined by one space, matched on word bounds."""

from __future__ import annotations

# A sentence opening with these asks something, even without a question mark.
QUESTION_OPENERS: frozenset[str] = frozenset(
    {
        # English
        "could you", "can you", "would you", "will you", "do you", "did you", "are you",
        "is there", "is it", "have you", "what", "when", "where", "which", "who", "why",
        "how", "shall we", "should we", "may i", "could we", "can we", "would it",
        # French
        "pourriez", "pourriez-vous", "pouvez-vous", "pouvez", "est-ce", "avez-vous", "quand",
        "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "serait-il", "auriez-vous",
        # Spanish
        "podrías", "podría", "puedes", "puede", "cuándo", "qué", "cómo", "dónde", "cuál",
        "tienes", "tiene",
        # German
        "könnten", "können", "kannst", "hast", "haben sie", "wann", "wie", "was", "wo",
        "welche", "welcher", "wäre", "würden",
        # Portuguese
        "poderia", "pode", "podes", "quando", "quais", "qual", "onde", "como", "você",
    }
)  # fmt: skip
# Phrases that ask, wherever they stand in a sentence.
QUESTION_PHRASES: tuple[str, ...] = (
    "let me know",
    "please send",
    "could you",
    "can you send",
    "would you mind",
    "i was wondering",
    "i wonder if",
    "tell me",
    "please share",
    "merci de me dire",
    "dites-moi",
    "faites-moi savoir",
    "tenez-moi au courant",
    "dime",
    "avísame",
    "hazme saber",
    "me gustaría saber",
    "lass mich wissen",
    "lassen sie mich wissen",
    "sagen sie mir",
    "geben sie mir bescheid",
    "me avise",
    "me diga",
    "me conte",
    "gostaria de saber",
)
