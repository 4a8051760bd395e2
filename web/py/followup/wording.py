"""The built-in draft templates, one per rule, in plain and warm words (see template.py for
the syntax); the brief and formal ones are in wording_tones.py. Every fact sits inside an
optional section, so a built-in never renders empty, and a draft only says what the records
show: "I followed through" needs advice marked as acted on (`is_acted`), a meeting is told with
when it was and what it was about, and the user's one-line answers (`how_it_went`,
`what_i_did`) fill in what the records don't know.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .settings import Rule, Template
from .wording_more import MORE_BUILT_IN

# The sign-off and signature, as one section: without the user's name there is no bare
# "Best wishes," (the draft asks for the name instead: drafts.needs).
SIGN = "\n\n[{sign_off},\n{my_name}]"


def signed(subject: str, body: str, sms: str, sign_off: str) -> Template:
    """A template whose body ends with `sign_off` and the user's name."""
    return Template(subject=subject, body=body + SIGN.replace("{sign_off}", sign_off), sms=sms)


def _t(subject: str, body: str, sms: str, sign_off: str = "Best wishes") -> Template:
    return signed(subject, body, sms, sign_off)


_HI = "[Hi {first_name},|Hello,]\n\n"
_SMS_HI = "[Hi {first_name}, |Hello, ]"
_ADVICE = "[When we spoke, you suggested: {advice}.|When we spoke, you gave me some great advice.] "

BUILT_IN: Mapping[Rule, Template] = MappingProxyType(
    {
        Rule.REACH_OUT: _t(
            "[{introducer} suggested I get in touch|Introduction]",
            _HI + "[{introducer} suggested I get in touch with you.|I'm getting in touch after "
            "hearing good things about you.] [It was good to meet you at {event}.] "
            "[{introducer_first_name} thought we should talk about {context}.] "
            "I'm exploring my next step and would really value your perspective.\n\n"
            "Would you have 20 minutes for a call or a coffee in the next week or two? "
            "I'm happy to fit around your schedule.",
            _SMS_HI + "[{my_name} here. ][{introducer} suggested I get in touch.|I'd love to "
            "connect.] Would you have 20 minutes for a call this week or next?",
            "Thank you",
        ),
        Rule.THANK_YOU: _t(
            "Thank you[ for the {meeting}]",
            _HI + "Thank you for taking the time to talk with me[ {met_when}]. "
            "[Our conversation about {discussed} was really helpful.] "
            "[{is_acted}I've already acted on your advice: {advice}.|Thank you for the "
            "advice: {advice}.] "
            "[And thank you for introducing me to {introduced_names}.]\n\n"
            "I really appreciated it, and I'll keep you posted on how things go.",
            "[Hi {first_name}, t|T]hank you for your time[ {met_when}], I really appreciated "
            "it.[ {my_name}]",
        ),
        Rule.MET_AT_EVENT: _t(
            "Great to meet you[ at {event}]",
            _HI + "It was great to meet you[ at {event}]. Thank you for taking the time to talk "
            "with me.\n\n"
            "I'd love to stay in touch[ and hear more about your work at {their_company}].",
            "[Hi {first_name}, g|G]reat to meet you[ at {event}]! I'd love to stay in touch."
            "[ {my_name}]",
        ),
        Rule.REJECTION_THANKS: _t(
            "Thank you[ for considering me for the {position} role]",
            _HI + "Thank you for letting me know your decision[ about the {position} role]. "
            "Of course I'm disappointed, but I really enjoyed [getting to know {company}|the "
            "process] and everyone I spoke with.\n\n"
            "I remain very interested in [{company}|your team], and I would welcome the chance "
            "to be considered for future roles, or for contract work if a need comes up. "
            "I hope we stay in touch.",
            "[Hi {first_name}, t|T]hank you for letting me know. I enjoyed the process and "
            "would love to be considered for future roles.[ {my_name}]",
            "With thanks",
        ),
        Rule.CLOSE_LOOP: _t(
            "[Thank you for introducing me to {referral}|A quick update on your introduction]",
            _HI + "[{is_later}You also introduced me to {referral}.|Thank you again for "
            "introducing me to {referral}.|Thank you again for the "
            "introduction.] [I {contact} {referral_first_name} {met_when}.] "
            "[We talked about {discussed}.] [{how_it_went}] "
            "[Here's where it stands: {outcome}.]\n\n"
            "Whatever comes of it, I'm grateful you made the connection, and I'll keep you "
            "posted.",
            _SMS_HI + "[I {contact} {referral_first_name} {met_when}. |A quick update on your "
            "introduction. ][{how_it_went} ]Thank you for making the connection, I'll keep you "
            "posted![ {my_name}]",
            "Warm regards",
        ),
        Rule.CLOSE_LOOP_OUTCOME: _t(
            "[How it turned out with {referral}|How your introduction turned out]",
            _HI + "[{is_later}As for {referral}, here is how it ended.|You introduced me to "
            "{referral}, and I wanted you to hear how it ended.|I "
            "wanted you to hear how your introduction turned out.] [{outcome}.]\n\n"
            "Thank you for making the connection: it made a real difference to my search, and "
            "I'm grateful.",
            _SMS_HI + "a quick update on your introduction[: {outcome}]. "
            "Thank you again for making the connection![ {my_name}]",
            "Warm regards",
        ),
        Rule.ACT_ON_ADVICE: _t(
            "[{is_acted}I took your advice|Thank you for your advice]",
            _HI + _ADVICE + "[{is_acted}I followed through: {what_i_did}.|I'm going to act on "
            "it, and I'll let you know how it goes.]\n\n"
            "Thank you for taking the time to point me in the right direction.",
            _SMS_HI + "[{is_acted}I followed your advice: {what_i_did}. Thank you!|thank you "
            "for your advice, I'm going to act on it.][ {my_name}]",
        ),
        Rule.REPORT_BACK: _t(
            "I took your advice",
            _HI + _ADVICE + "I followed through[: {what_i_did}], and I wanted you to know.\n\n"
            "Thank you for taking the time to point me in the right direction.",
            _SMS_HI + "I followed your advice[ ({advice})][: {what_i_did}]. Thank you for "
            "pointing me in the right direction![ {my_name}]",
        ),
        Rule.PROMISE: _t(
            "As promised",
            _HI + "[As promised, I'm sending {promised_thing}.|As promised, I'm following up "
            "on what I said I'd do: {promise}.|As promised, I'm following up.]\n\n"
            "Thank you again for your time, and let me know if there's anything else I can send.",
            _SMS_HI + "as promised, [I'm sending {promised_thing}|following up on: {promise}|"
            "following up].[ {my_name}]",
        ),
        Rule.GRATITUDE: _t(
            "Some good news, and thank you",
            _HI + "I'm happy to tell you that I've accepted [a position as {new_job}|a position "
            "at {new_company}|a new position]. "
            "[{is_chain}Your introduction to {introduced_names} is where it started, and I'm "
            "so grateful you made it.] "
            "[{is_reference}Thank you for being one of my references; it made a difference.] "
            "[{is_helper}Thank you for the time and advice you gave me during my search.] "
            "[{is_most_doors}You opened more doors for me than anyone, and I'd love to take "
            "you out to dinner to thank you properly. When would suit you?]\n\n"
            "I'd love to stay in touch, so please let me know if I can ever return the favour.",
            "[Hi {first_name}! |Hello! ]Good news: I've accepted [a position as {new_job}|a "
            "position at {new_company}|a new position]. Thank you for all your help!"
            "[{is_most_doors} Dinner's on me, when suits you?][ {my_name}]",
            "With gratitude",
        ),
        Rule.COURTESY_NOTE: _t(
            "[My application for {position}|My application]",
            _HI + "Thank you for considering me[ for the {position} role]. I wanted to let you "
            "know straight away that I have accepted another position, so please withdraw my "
            "application.\n\n"
            "It was a difficult decision, because [{company}|your team] is excellent in so "
            "many ways, but I needed to choose the best overall fit for me. Thank you for the "
            "time you invested in me; I hope our paths cross again.",
            _SMS_HI + "thank you for considering me. I've accepted another position, so please "
            "withdraw my application. I hope our paths cross again.[ {my_name}]",
            "Kind regards",
        ),
        Rule.KEEP_IN_TOUCH: _t(
            "[Catching up, {first_name}|Catching up]",
            _HI + "It's been a while, and I was thinking of you. [How are things at "
            "{their_company}?|How are things with you?] "
            "[{is_landed}I'm settling into my new role as {new_job} and enjoying it.]\n\n"
            "I'd love to catch up over a coffee or a call whenever suits you.",
            _SMS_HI + "it's been a while! How are you? I'd love to catch up soon.[ {my_name}]",
        ),
        **MORE_BUILT_IN,  # the rules of bundles, landing and stop rules (wording_more.py)
    }
)
