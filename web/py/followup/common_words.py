"""Ordinary English words that start a typed phrase with a capital only because they start it:
"His team", "The move", "Media sales". Mid-sentence they are written in lower case. Names of
people, companies and places are not here (nor words that are also names: Will, Mark, Grace),
so a phrase starting with one keeps its capital.
"""

from __future__ import annotations


def words(text: str) -> list[str]:
    """The words of a block of text (a table written as prose)."""
    return text.split()


COMMON: frozenset[str] = frozenset(
    words(
        """
    a an the this that these those his her hers their theirs our ours my mine your yours its
    some any all each every no none both either neither few many much more most other another
    such same own one two three four five several first second last next new old big small good
    great bad best better early late recent possible potential likely future current past
    previous upcoming open free full part remote hybrid local global senior junior lead head
    chief general main key core internal external public private digital social mobile how what
    why when where which who whom whose whether if while since because about after before during
    between into over under around through across against without within and or but so yet also
    just only even still maybe perhaps probably really very quite it he she they we you i them
    us him me there here is are was were be been being has have had do does did will would can
    could should may might must shall need needs want wants job jobs role roles career careers
    work working position positions opening openings opportunity opportunities team teams
    company companies business businesses industry industries market markets marketing sales
    media product products design engineering tech technology software hardware data analytics
    research science finance financial accounting legal operations ops strategy strategic growth
    partnerships partnership partner partners funding fundraising investment investors startup
    startups agency agencies client clients customer customers account accounts advertising
    brand brands content editorial publishing journalism news broadcast television tv radio film
    music games gaming health healthcare education learning training hiring recruiting
    recruitment talent people culture leadership management manager managers director directors
    board budget budgets pricing revenue costs cost plan plans planning roadmap launch launches
    project projects program programs programme programmes process interview interviews offer
    offers salary pay compensation equity benefits contract contracts freelance consulting
    consultancy portfolio resume cv cover letter references reference network networking
    contacts intro introduction introductions referral referrals meeting meetings call calls
    coffee lunch dinner breakfast drinks chat conversation conversations talk talks event events
    conference conferences meetup meetups panel workshop course courses book books article
    articles podcast podcasts blog post posts paper papers report reports idea ideas advice
    feedback question questions answer answers help support mentoring mentor mentors move moving
    relocation relocating transition change changes shift next steps step options option path
    paths direction goals goal priorities priority vision mission values experience experiences
    background skills skill expertise knowledge side sector space field area areas world city
    country region office offices home family kids time week weeks month months year years day
    days today tomorrow weekend morning afternoon evening summer winter spring autumn fall
    quarter q1 q2 q3 q4 possibly potentially maybe ways way approach approaches options thoughts
    thought follow following update updates news progress status result results outcome outcomes
    decision decisions application applications search hunt pivot return returning back trends
    trend future AI ai ml machine automation cloud security privacy policy policies government
    nonprofit non-profit charity charities climate energy sustainability retail ecommerce
    e-commerce commerce logistics supply chain manufacturing real estate property travel
    hospitality food fashion art arts sports sport fitness wellness
    called emailed met sent wrote spoke read applied reached talked asked contacted booked
    joined went did made took updated rewrote signed registered followed messaged texted
    phoned scheduled attended started finished bought listened watched connected introduced
    got had tried looked found reworked drafted shared posted pitched practised practiced
    """
    )
)
