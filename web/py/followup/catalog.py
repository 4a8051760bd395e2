"""What the shell shows about the engine's vocabulary: each rule's name, verb, title and
preferred channels, each channel's words, and which interaction answers a follow-up.

One table, read by Today, Person and Settings through the `catalog` op, so the words and the
channels never live in JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import (
    ACTIVE_STAGES,
    MEETING_KINDS,
    AdviceKind,
    Channel,
    InteractionKind,
    IntroductionKind,
    OpportunityRole,
    Reply,
    Stage,
)
from .settings import Rule


@dataclass(frozen=True, slots=True)
class RuleWords:
    label: str  # on a card: "New referral"
    verb: str  # the main action: "Reach out"
    title: str  # in Settings: "Reach out to a new referral"
    counts_from: str  # "after you get the name"
    channels: tuple[Channel, ...]  # in the rule's order of preference
    answer: str  # what answering it is: "thanks", "update" or "message"


_E, _S, _C, _K = Channel.EMAIL, Channel.SMS, Channel.CALL, Channel.CARD

RULES: dict[Rule, RuleWords] = {
    Rule.REACH_OUT: RuleWords(
        "New referral",
        "Reach out",
        "Reach out to a new referral",
        "after you get the name",
        (_C, _E, _S),
        "message",
    ),
    Rule.THANK_YOU: RuleWords(
        "Thank-you",
        "Say thank you",
        "Thank-you after a meeting, call or interview",
        "after the meeting",
        (_E, _K, _C),
        "thanks",
    ),
    Rule.MET_AT_EVENT: RuleWords(
        "Met at an event",
        "Say thank you",
        "Follow up with someone you met at an event",
        "after the event",
        (_E, _S, _K),
        "thanks",
    ),
    Rule.REJECTION_THANKS: RuleWords(
        "Thank them anyway",
        "Say thank you",
        "Thank-you after a rejection",
        "after you hear the news",
        (_K, _E),
        "thanks",
    ),
    Rule.CLOSE_LOOP: RuleWords(
        "Close the loop",
        "Send an update",
        "Tell the introducer how it went",
        "after you contact or meet the person they introduced",
        (_E, _S, _C),
        "update",
    ),
    Rule.CLOSE_LOOP_OUTCOME: RuleWords(
        "Close the loop",
        "Tell them how it ended",
        "Tell the introducer the final outcome",
        "after the outcome is final",
        (_E, _C),
        "update",
    ),
    Rule.ACT_ON_ADVICE: RuleWords(
        "Act on advice",
        "Report back",
        "Act on advice you were given",
        "after you get the advice",
        (_E, _C),
        "message",
    ),
    Rule.REPORT_BACK: RuleWords(
        "Report back",
        "Report back",
        "Report back on advice you acted on",
        "after you act on it",
        (_E, _C),
        "message",
    ),
    Rule.PROMISE: RuleWords(
        "A promise you made",
        "Follow through",
        "Keep a promise",
        "after the date you promised",
        (_E,),
        "message",
    ),
    Rule.GRATITUDE: RuleWords(
        "Gratitude",
        "Say thank you",
        "Thank everyone who helped you land the job",
        "after you accept the offer",
        (_C, _K, _E),
        "thanks",
    ),
    Rule.COURTESY_NOTE: RuleWords(
        "Courtesy note",
        "Write the note",
        "Tell other employers you accepted a job",
        "after you accept the offer",
        (_E, _C),
        "message",
    ),
    Rule.KEEP_IN_TOUCH: RuleWords(
        "Keep in touch",
        "Say hello",
        "Keep in touch",
        "",
        (_E, _C, _S),
        "message",
    ),
    Rule.LAST_NOTE: RuleWords(
        "Last note",
        "Write a last note",
        "A last, gracious note to someone who never answered",
        "after you mark them as no reply",
        (_E, _S),
        "message",
    ),
    Rule.REPLY: RuleWords(
        "Waiting for your reply",
        "Reply",
        "Reply to someone waiting for your answer",
        "after their message",
        (_E, _S, _C),
        "message",
    ),
}

# label: its name; send: the button that hands the draft over; field: what the text box holds.
CHANNELS: dict[Channel, dict[str, str]] = {
    Channel.EMAIL: {"label": "Email", "send": "Open in your email app", "field": "Message"},
    Channel.SMS: {"label": "Text message", "send": "Open in Messages", "field": "Text message"},
    Channel.CALL: {"label": "Phone call", "send": "Call", "field": "Talking points"},
    Channel.CARD: {
        "label": "Handwritten card",
        "send": "I sent the card",
        "field": "What to write on the card",
    },
}

INTERACTION_LABELS: dict[InteractionKind, str] = {
    InteractionKind.MEETING: "Meeting",
    InteractionKind.CALL: "Call",
    InteractionKind.VIDEO_CALL: "Video call",
    InteractionKind.COFFEE: "Coffee",
    InteractionKind.MEAL: "Lunch or dinner",
    InteractionKind.INTERVIEW: "Interview",
    InteractionKind.INFORMATIONAL_INTERVIEW: "Informational interview",
    InteractionKind.MESSAGE_SENT: "Message sent",
    InteractionKind.MESSAGE_RECEIVED: "Message received",
    InteractionKind.REPLY: "Reply received",
    InteractionKind.THANK_YOU_EMAIL: "Thank-you email",
    InteractionKind.THANK_YOU_CARD: "Thank-you card",
    InteractionKind.THANK_YOU_CALL: "Thank-you call",
    InteractionKind.INTRODUCER_UPDATE: "Update to an introducer",
    InteractionKind.NOTE: "Note",
    InteractionKind.NO_REPLY: "No reply",
}

# What a reply received said (model.Reply), in the order a form offers them.
REPLY_LABELS: dict[Reply, str] = {
    Reply.YES: "Yes",
    Reply.LATER: "Later",
    Reply.NO: "No",
}


# How a person's timeline names what happened: the kinds' own words, but for these three.
TIMELINE_WORDS: dict[InteractionKind, str] = {
    **INTERACTION_LABELS,
    InteractionKind.MEETING: "Met",
    InteractionKind.THANK_YOU_CARD: "Handwritten card",
    InteractionKind.INTRODUCER_UPDATE: "Update sent",
    InteractionKind.NO_REPLY: "Marked as no reply",
}

ADVICE_LABELS: dict[AdviceKind, str] = {
    AdviceKind.NAMES: "Names to contact",
    AdviceKind.BOOK: "Something to read",
    AdviceKind.RESUME: "Resume advice",
    AdviceKind.OTHER: "Other advice",
}

# What the introducer did, in the user's words.
INTRODUCTION_LABELS: dict[IntroductionKind, str] = {
    IntroductionKind.INTRODUCTION: "Introduced us",
    IntroductionKind.REFERRAL: "Referred me",
    IntroductionKind.NAME: "Gave me their name",
}


def channels_of(rule: Rule) -> tuple[Channel, ...]:
    """The channels a rule's follow-ups offer, in its order of preference (this table is their
    one home: the rules and the shell both read it)."""
    return RULES[rule].channels


def answer_kind(rule: Rule, channel: Channel) -> InteractionKind:
    """The interaction that answers a follow-up of `rule` sent through `channel`."""
    if channel is Channel.CARD:
        return InteractionKind.THANK_YOU_CARD
    answer = RULES[rule].answer
    if answer == "thanks":
        return (
            InteractionKind.THANK_YOU_CALL
            if channel is Channel.CALL
            else (InteractionKind.THANK_YOU_EMAIL)
        )
    if answer == "update":
        return InteractionKind.INTRODUCER_UPDATE
    return InteractionKind.CALL if channel is Channel.CALL else InteractionKind.MESSAGE_SENT


def encode_catalog() -> dict[str, Any]:
    return {
        "rules": {
            rule.value: {
                "label": w.label,
                "verb": w.verb,
                "title": w.title,
                "from": w.counts_from,
                "timed": rule is not Rule.KEEP_IN_TOUCH,
                "channels": [c.value for c in w.channels],
                # The interaction kind logged when it is answered, by channel.
                "answers": {c.value: answer_kind(rule, c).value for c in Channel},
            }
            for rule, w in RULES.items()
        },
        "channels": {c.value: dict(words) for c, words in CHANNELS.items()},
        "interaction_kinds": {k.value: label for k, label in INTERACTION_LABELS.items()},
        # The kinds that are meetings (they earn a thank-you), in the order a form offers them.
        "meeting_kinds": [k.value for k in INTERACTION_LABELS if k.value in MEETING_KINDS],
        "timeline_words": {k.value: words for k, words in TIMELINE_WORDS.items()},
        # A bundle (key `bundle:<person>`): several things owed to one person, one message.
        "bundle": {
            "verb": "Write one message",
            "answered": "Answered several follow-ups in one message",
        },
        # The answers a reply received can carry (its `reply` field).
        "reply_kinds": [{"id": r.value, "label": label} for r, label in REPLY_LABELS.items()],
        "advice_kinds": {k.value: label for k, label in ADVICE_LABELS.items()},
        "introduction_kinds": {k.value: label for k, label in INTRODUCTION_LABELS.items()},
        **encode_pipeline_words(),
    }


# --- The pipeline's words: stages, the people at an opportunity, the gratitude round's roles ---


@dataclass(frozen=True, slots=True)
class StageWords:
    one: str  # on a card: "Offer"
    many: str  # a column's heading: "Offers"
    hint: str  # what moving there means


STAGES: dict[Stage, StageWords] = {
    Stage.LEAD: StageWords("Lead", "Leads", "Worth pursuing; nothing sent yet."),
    Stage.APPLIED: StageWords("Applied", "Applied", "Your application is in."),
    Stage.INTERVIEWING: StageWords("Interviewing", "Interviewing", "You are talking to them."),
    Stage.OFFER: StageWords("Offer", "Offers", "They made you an offer."),
    Stage.ACCEPTED: StageWords(
        "Accepted", "Accepted", "You landed the job: opens the gratitude round."
    ),
    Stage.DECLINED: StageWords("Declined", "Declined", "You said no to them."),
    Stage.REJECTED: StageWords(
        "Rejected", "Rejected", "They said no. Followthrough suggests a thank-you anyway."
    ),
    Stage.WITHDRAWN: StageWords("Withdrawn", "Withdrawn", "You stepped back."),
}

# The usual next step from each active stage, offered as a one-tap button.
NEXT_STAGE: dict[Stage, tuple[Stage, str]] = {
    Stage.LEAD: (Stage.APPLIED, "I applied"),
    Stage.APPLIED: (Stage.INTERVIEWING, "Got an interview"),
    Stage.INTERVIEWING: (Stage.OFFER, "Got an offer"),
    Stage.OFFER: (Stage.ACCEPTED, "I landed the job"),
}

# In the order a form offers them.
OPPORTUNITY_ROLES: dict[OpportunityRole, str] = {
    OpportunityRole.CONTACT: "Contact",
    OpportunityRole.RECRUITER: "Recruiter",
    OpportunityRole.HIRING_MANAGER: "Hiring manager",
    OpportunityRole.INTERVIEWER: "Interviewer",
    OpportunityRole.REFERENCE: "Reference",
}

# Why someone is in the gratitude round (gratitude.py's roles).
GRATITUDE_ROLES: dict[str, str] = {
    "chain": "Introduced you along the way",
    "reference": "Your reference",
    "helper": "Gave time, advice or names",
}


def encode_pipeline_words() -> dict[str, Any]:
    return {
        "stages": [
            {
                "id": stage.value,
                "one": w.one,
                "many": w.many,
                "hint": w.hint,
                "active": stage in ACTIVE_STAGES,
                "next": (
                    {"stage": NEXT_STAGE[stage][0].value, "label": NEXT_STAGE[stage][1]}
                    if stage in NEXT_STAGE
                    else None
                ),
            }
            for stage, w in STAGES.items()
        ],
        "opportunity_roles": [
            {"id": r.value, "label": label} for r, label in OPPORTUNITY_ROLES.items()
        ],
        "gratitude_roles": dict(GRATITUDE_ROLES),
    }
