"""`/study share`, `portfolio`, `plan`, `reflect` and `journal`: showing work, planning the week
and reflecting, on the same services as Discord's /share, /portfolio, /plan, /reflect, /journal.

What members write here is kept as they typed it. Slack sends a typed link as `<url|label>`, a
mention as `<@U…|name>`, `@here` as `<!here>`: titles, goals and answers store the readable text
(`@name`, `@here`, the label), so nothing they wrote can ping or link when it is shown again.
"""

from __future__ import annotations

import html
import re

from bot.domain.work import KINDS
from bot.messages.journal import journal as journal_message
from bot.messages.journal import reflection_saved
from bot.messages.plans import plan_set, plan_shown
from bot.messages.work import portfolio as portfolio_message
from bot.messages.work import share_post
from bot.services.catalog import Services
from bot.slackbot.invocation import Answer, Invocation, Subcommand, Usage, one_member, said
from bot.slackbot.views import reflect_view

MARKUP = re.compile(r"(<[^<>]*>)")
KIND_NAMES = ", ".join(KINDS)


def readable(markup: str) -> str:
    """One piece of Slack's markup (`<…>`) as the text it shows."""
    target, _, label = markup[1:-1].partition("|")
    if target.startswith("@"):
        shown = "@" + (label or target[1:])
    elif target.startswith("#"):
        shown = "#" + (label or target[1:])
    elif target.startswith("!"):
        # <!here>, <!channel>, <!subteam^S…|@team>, <!date^…|fallback>
        shown = label or "@" + target[1:].split("^")[0]
    else:
        shown = label or target
    return html.unescape(shown)


def typed(raw: str) -> str:
    """Slack's command text as the member typed it: markup as its text, entities decoded once."""
    return "".join(
        readable(piece) if MARKUP.fullmatch(piece) else html.unescape(piece)
        for piece in MARKUP.split(raw)
    )


def one_line(text: str) -> str:
    # A title or a goal is one line, however the command's text was broken.
    return " ".join(text.split())


def first_word(raw: str) -> tuple[str, str]:
    """(the first argument, the rest), where a piece of markup counts as one word."""
    raw = raw.strip()
    if raw.startswith("<") and ">" in raw:
        end = raw.index(">") + 1
    else:
        end = next((i for i, ch in enumerate(raw) if ch.isspace()), len(raw))
    return raw[:end], raw[end:].strip()


def link_of(word: str) -> str:
    """The address of a typed link: Slack sends one as `<https://…>` or `<https://…|label>`."""
    if MARKUP.fullmatch(word):
        return html.unescape(word[1:-1].partition("|")[0])
    return html.unescape(word)


def share_arguments(raw: str) -> tuple[str | None, str, str]:
    """(kind, link, title) of `share [KIND] LINK TITLE…`.

    A kind word can lead: no link is ever a bare kind word (a link starts with http:// or
    https://), so `share notes https://… Notes on attention` cannot be misread, while a kind
    anywhere after the link could be the first word of the title.
    """
    word, rest = first_word(raw)
    kind = None
    if word.lower() in KINDS and rest:
        kind, (word, rest) = word.lower(), first_word(rest)
    return kind, link_of(word), one_line(typed(rest))


async def share(services: Services, call: Invocation) -> Answer:
    if not call.raw:
        raise Usage(USAGES["share"], f"Give the link, then the title; KIND is one of {KIND_NAMES}.")
    kind, link, title = share_arguments(call.raw)
    if not title:
        raise Usage(USAGES["share"], "Give a title after the link.")
    item = await services.sharing.share(
        call.community_id, call.user_id, call.name, title, link, kind
    )
    return Answer(share_post(item), public=True)


async def portfolio(services: Services, call: Invocation) -> Answer:
    user_id, name, own = one_member(call, USAGES["portfolio"])
    if not own:
        name = await services.members.display_name(call.community_id, user_id) or name
    items = await services.sharing.portfolio(call.community_id, user_id)
    return Answer(portfolio_message(name, items, own))


async def plan(services: Services, call: Invocation) -> Answer:
    plans = services.plans
    if not call.raw:
        week = await plans.this_week(call.community_id, call.user_id)
        shown = await plans.plan(call.community_id, call.user_id, week)
        return Answer(plan_shown(shown, week))
    goals = one_line(typed(call.raw))
    made = await plans.set_plan(call.community_id, call.user_id, call.name, goals)
    return Answer(plan_set(made))


async def reflect(services: Services, call: Invocation) -> Answer:
    if not call.raw:
        question = await services.journal.question(call.community_id)
        return Answer(said(""), open_view=reflect_view(question))
    saved = await services.journal.reflect(
        call.community_id, call.user_id, call.name, typed(call.raw)
    )
    return Answer(reflection_saved(saved))


async def journal(services: Services, call: Invocation) -> Answer:
    if call.words:
        raise Usage(USAGES["journal"])
    entries = await services.journal.journal(call.community_id, call.user_id)
    return Answer(journal_message(entries))


SUBCOMMANDS = (
    Subcommand(
        "share",
        "share [KIND] LINK TITLE…",
        "Show the group your work: a public post with a Useful button",
        share,
    ),
    Subcommand(
        "portfolio", "portfolio [@member]", "Shared work, newest first, with votes", portfolio
    ),
    Subcommand(
        "plan",
        "plan [GOALS…]",
        "Up to 5 goals for this week, separated by ';' (or see them)",
        plan,
    ),
    Subcommand(
        "reflect", "reflect [ANSWER…]", "Answer today's reflection question, privately", reflect
    ),
    Subcommand("journal", "journal", "Your last 10 reflections (only you see them)", journal),
)
USAGES = {sub.name: sub.usage for sub in SUBCOMMANDS}
