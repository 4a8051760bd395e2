"""The built-in templates in the brief and formal tones (warm is wording.BUILT_IN). A rule
without one here, such as a rule added later, is written in the warm tone. Same facts and the
same promises as the warm ones: only the words change.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .settings import TONES, Rule, Template
from .wording import BUILT_IN, signed

WARM, BRIEF, FORMAL = TONES
TONE_LABELS: Mapping[str, str] = MappingProxyType({WARM: "Warm", BRIEF: "Brief", FORMAL: "Formal"})

_HI = "[Hi {first_name},|Hello,]\n\n"
_SMS_HI = "[Hi {first_name}, |Hello, ]"
_DEAR = "[Dear {first_name},|Hello,]\n\n"
_SMS_DEAR = "[Dear {first_name}, |Hello, ]"


def _b(subject: str, body: str, sms: str, sign_off: str = "Best") -> Template:
    return signed(subject, _HI + body, _SMS_HI + sms, sign_off)


def _f(subject: str, body: str, sms: str, sign_off: str = "Kind regards") -> Template:
    return signed(subject, _DEAR + body, _SMS_DEAR + sms, sign_off)


BRIEF_TEMPLATES: Mapping[Rule, Template] = MappingProxyType(
    {
        Rule.REPLY: _b(
            "[Re: {their_subject}|Your message]",
            "Thanks for your message[ about {their_subject}], and sorry for the wait.",
            "thanks for your message, and sorry for the wait.[ {my_name}]",
            "Thanks",
        ),
        Rule.REACH_OUT: _b(
            "[Introduction via {introducer}|Introduction]",
            "[{introducer} suggested we talk about {context}.|{introducer} suggested we "
            "talk.|I'd like to ask your advice.] "
            "Could we have a 20-minute call in the next two weeks?",
            "[{introducer} suggested we talk. |]Could we have a 20-minute call soon?[ {my_name}]",
            "Thanks",
        ),
        Rule.THANK_YOU: _b(
            "Thank you[ for the {meeting}]",
            "Thank you for your time[ {met_when}]. [The part about {discussed} was especially "
            "useful.] [{is_acted}I've acted on your advice: {advice}.]\n\n"
            "I'll keep you posted.",
            "thank you for your time[ {met_when}].[ {my_name}]",
            "Thanks",
        ),
        Rule.MET_AT_EVENT: _b(
            "Good to meet you[ at {event}]",
            "Good to meet you[ at {event}]. Let's stay in touch.",
            "good to meet you[ at {event}]. Let's stay in touch.[ {my_name}]",
        ),
        Rule.REJECTION_THANKS: _b(
            "Thank you[ for considering me for the {position} role]",
            "Thank you for letting me know. I enjoyed meeting [the team at {company}|the team], "
            "and I'd welcome being considered for future roles.",
            "thank you for letting me know. I'd welcome being considered for future roles."
            "[ {my_name}]",
            "Thanks",
        ),
        Rule.CLOSE_LOOP: _b(
            "[Update on {referral}|Update on your introduction]",
            "[{is_later}You also introduced me to {referral}.|Thanks again for introducing me "
            "to {referral}.|Thanks again for the "
            "introduction.] [I {contact} {referral_first_name} {met_when}.] "
            "[We talked about {discussed}.] [{how_it_went}] [Where it stands: {outcome}.]\n\n"
            "I'll keep you posted.",
            "[I {contact} {referral_first_name} {met_when}. |][{how_it_went} ]Thanks for the "
            "introduction![ {my_name}]",
            "Thanks",
        ),
        Rule.CLOSE_LOOP_OUTCOME: _b(
            "[How it ended with {referral}|How your introduction ended]",
            "[{is_later}As for {referral}:|A last update on your introduction to {referral}.|A "
            "last update on your "
            "introduction.] [{outcome}.] Thank you for the introduction.",
            "a last update on your introduction[: {outcome}]. Thank you![ {my_name}]",
        ),
        Rule.ACT_ON_ADVICE: _b(
            "[{is_acted}I took your advice|Your advice]",
            "[You suggested: {advice}.|Thank you for your advice.] [{is_acted}I did: "
            "{what_i_did}.|I'll act on it and let you know how it goes.]",
            "[{is_acted}I took your advice: {what_i_did}.|thank you for your advice, I'll act "
            "on it.][ {my_name}]",
            "Thanks",
        ),
        Rule.REPORT_BACK: _b(
            "I took your advice",
            "[You suggested: {advice}.|You gave me some advice.] I followed through"
            "[: {what_i_did}]. Thank you.",
            "I followed your advice[: {what_i_did}]. Thank you![ {my_name}]",
        ),
        Rule.PROMISE: _b(
            "As promised",
            "[As promised, here is {promised_thing}.|As promised: {promise}.|Following up, "
            "as promised.]",
            "[as promised, here is {promised_thing}|as promised: {promise}|following up, as "
            "promised].[ {my_name}]",
        ),
        Rule.GRATITUDE: _b(
            "Good news, and thank you",
            "I've accepted [a position as {new_job}|a position at {new_company}|a new "
            "position]. [{is_chain}It started with your introduction to {introduced_names}.] "
            "[{is_reference}Thank you for being a reference.] [{is_helper}Thank you for your "
            "help during my search.] [{is_most_doors}Dinner's on me: when suits you?]",
            "good news: I've accepted [a position as {new_job}|a new position]. Thank you for "
            "your help![ {my_name}]",
        ),
        Rule.COURTESY_NOTE: _b(
            "[My application for {position}|My application]",
            "I've accepted another position, so please withdraw my application[ for the "
            "{position} role]. Thank you for your time.",
            "I've accepted another position, so please withdraw my application. Thank you!"
            "[ {my_name}]",
        ),
        Rule.KEEP_IN_TOUCH: _b(
            "[Catching up, {first_name}|Catching up]",
            "[How are things at {their_company}?|How are things?] [{is_landed}I'm now "
            "{new_job}.] Coffee or a call soon?",
            "how are things? Coffee or a call soon?[ {my_name}]",
        ),
    }
)

FORMAL_TEMPLATES: Mapping[Rule, Template] = MappingProxyType(
    {
        Rule.REACH_OUT: _f(
            "[Introduction from {introducer}|Introduction]",
            "[{introducer} kindly suggested that I contact you.|I am writing on the "
            "recommendation of a mutual contact.] [It was a pleasure to meet you at {event}.] "
            "[{introducer_first_name} thought we should speak about {context}.] I am "
            "considering my next step and would greatly value your perspective.\n\n"
            "Would you have 20 minutes for a call in the coming weeks? I would be glad to "
            "arrange it at your convenience.",
            "[{introducer} suggested that I contact you. |]Would you have 20 minutes for a "
            "call in the coming weeks?[ {my_name}]",
            "Yours sincerely",
        ),
        Rule.THANK_YOU: _f(
            "Thank you[ for the {meeting}]",
            "Thank you for taking the time to speak with me[ {met_when}]. [Our conversation "
            "about {discussed} was most helpful.] [{is_acted}I have already acted on your "
            "advice: {advice}.|Thank you also for your advice: {advice}.] [Thank you, too, "
            "for introducing me to {introduced_names}.]\n\n"
            "I am most grateful, and I will keep you informed of my progress.",
            "thank you for your time[ {met_when}]; I am most grateful.[ {my_name}]",
        ),
        Rule.MET_AT_EVENT: _f(
            "A pleasure to meet you[ at {event}]",
            "It was a pleasure to meet you[ at {event}], and thank you for your time.\n\n"
            "I would be glad to stay in touch[ and to learn more about your work at "
            "{their_company}].",
            "it was a pleasure to meet you[ at {event}]. I would be glad to stay in touch."
            "[ {my_name}]",
        ),
        Rule.REJECTION_THANKS: _f(
            "Thank you[ for considering me for the {position} role]",
            "Thank you for informing me of your decision[ regarding the {position} role]. "
            "While I am naturally disappointed, I greatly valued the opportunity to meet "
            "[the team at {company}|your team].\n\n"
            "I remain very interested in [{company}|your organisation] and would welcome "
            "being considered for future roles.",
            "thank you for informing me of your decision. I would welcome being considered "
            "for future roles.[ {my_name}]",
            "With thanks",
        ),
        Rule.CLOSE_LOOP: _f(
            "[Your introduction to {referral}|An update on your introduction]",
            "[{is_later}You also kindly introduced me to {referral}.|Thank you once more for "
            "introducing me to {referral}.|Thank you once more for "
            "the introduction.] [I {contact} {referral_first_name} {met_when}.] [We spoke "
            "about {discussed}.] [{how_it_went}] [The current position: {outcome}.]\n\n"
            "I am grateful for the connection and will keep you informed.",
            "[I {contact} {referral_first_name} {met_when}. |][{how_it_went} ]Thank you for the "
            "introduction; I will keep you informed.[ {my_name}]",
        ),
        Rule.CLOSE_LOOP_OUTCOME: _f(
            "[The outcome of your introduction to {referral}|The outcome of your introduction]",
            "[{is_later}As for {referral}, this is how matters concluded.|I wanted to let you "
            "know how matters concluded after you introduced me to "
            "{referral}.|I wanted to let you know the outcome of your introduction.] "
            "[{outcome}.]\n\n"
            "Thank you for the connection; it made a real difference to my search.",
            "the outcome of your introduction[: {outcome}]. Thank you for the connection."
            "[ {my_name}]",
        ),
        Rule.ACT_ON_ADVICE: _f(
            "[{is_acted}Following your advice|Thank you for your advice]",
            "[When we spoke, you suggested: {advice}.|Thank you for the advice you gave me "
            "when we spoke.] [{is_acted}I have acted on it: {what_i_did}.|I intend to act on "
            "it and will let you know how it goes.]\n\n"
            "Thank you for pointing me in the right direction.",
            "[{is_acted}I have acted on your advice: {what_i_did}.|thank you for your advice; "
            "I intend to act on it.][ {my_name}]",
        ),
        Rule.REPORT_BACK: _f(
            "Following your advice",
            "[When we spoke, you suggested: {advice}.|When we spoke, you gave me valuable "
            "advice.] I have acted on it[: {what_i_did}], and wanted to let you know.\n\n"
            "Thank you for pointing me in the right direction.",
            "I have acted on your advice[: {what_i_did}]. Thank you.[ {my_name}]",
        ),
        Rule.PROMISE: _f(
            "As promised",
            "[As promised, please find {promised_thing}.|As promised, I am following up on "
            "what I undertook to do: {promise}.|As promised, I am following up.]\n\n"
            "Thank you again for your time; please let me know if I can send anything else.",
            "[as promised, please find {promised_thing}|as promised, I am following up on: "
            "{promise}|as promised, I am following up].[ {my_name}]",
        ),
        Rule.GRATITUDE: _f(
            "News, and my thanks",
            "I am pleased to let you know that I have accepted [a position as {new_job}|a "
            "position at {new_company}|a new position]. [{is_chain}It began with your "
            "introduction to {introduced_names}, for which I am most grateful.] "
            "[{is_reference}Thank you for acting as one of my references.] [{is_helper}Thank "
            "you for the time and advice you gave me during my search.] [{is_most_doors}You "
            "opened more doors for me than anyone, and I would be delighted to take you to "
            "dinner to thank you properly.]\n\n"
            "Please let me know if I can ever return the favour.",
            "I have accepted [a position as {new_job}|a new position]. Thank you for all your "
            "help.[ {my_name}]",
            "With gratitude",
        ),
        Rule.REPLY: _f(
            "[Re: {their_subject}|Your message]",
            "Thank you for your message[ {met_when}][ regarding {their_subject}], and please "
            "accept my apologies for the delay in replying.",
            "thank you for your message; I shall reply in full shortly.[ {my_name}]",
        ),
        Rule.COURTESY_NOTE: _f(
            "[My application for {position}|My application]",
            "Thank you for considering me[ for the {position} role]. I am writing to let you "
            "know that I have accepted another position, and so must withdraw my "
            "application.\n\n"
            "Thank you for the time you invested in me; I hope our paths cross again.",
            "I have accepted another position and must withdraw my application. Thank you "
            "for your time.[ {my_name}]",
        ),
        Rule.KEEP_IN_TOUCH: _f(
            "[Keeping in touch, {first_name}|Keeping in touch]",
            "I hope this finds you well. [How are things at {their_company}?|How are things "
            "with you?] [{is_landed}I am now settled in my role as {new_job}.]\n\n"
            "I would be glad to catch up over a call or a coffee at your convenience.",
            "I hope you are well. I would be glad to catch up at your convenience.[ {my_name}]",
        ),
    }
)

_BY_TONE: Mapping[str, Mapping[Rule, Template]] = MappingProxyType(
    {BRIEF: BRIEF_TEMPLATES, FORMAL: FORMAL_TEMPLATES}
)


def built_in(rule: Rule, tone: str = WARM) -> Template:
    """The built-in template for `rule` in `tone`; the warm one where a tone has none."""
    return _BY_TONE.get(tone, {}).get(rule) or BUILT_IN[rule]
