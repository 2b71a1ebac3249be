"""The presses and forms of showing work and planning the week: "Useful" on a shared post, the
"Done: …" and "Write a review" buttons of the week's review (in direct messages), and the review
and reflection forms.

A press is acked first and answered through its `response_url`. A form runs before its ack,
because the ack is what carries its errors (or the confirmation that replaces it), all within
Slack's 3 seconds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot.domain.limits import RateLimiter
from bot.errors import UserError
from bot.messages.journal import REFLECT_TITLE, reflection_saved
from bot.messages.plans import REVIEW_TITLE, goal_marked, review_saved
from bot.messages.work import share_post
from bot.services.catalog import Services
from bot.slackbot.ids import community_of
from bot.slackbot.render import GOAL_PREFIX, REVIEW_PREFIX, USEFUL_PREFIX
from bot.slackbot.replies import Replies, Respond, member_line, reply
from bot.slackbot.views import (
    REFLECT_VIEW,
    REVIEW_VIEW,
    done_view,
    review_of,
    review_view,
    submitted_values,
)
from bot.slackbot.workspace import Workspace

log = logging.getLogger(__name__)

USEFUL_ACTION = re.compile(re.escape(USEFUL_PREFIX) + r"(\d+)")
GOAL_ACTION = re.compile(re.escape(GOAL_PREFIX) + r"([A-Z0-9]+):(\d{4}-W\d{2}):([1-5])")
REVIEW_ACTION = re.compile(re.escape(REVIEW_PREFIX) + r"([A-Z0-9]+):(\d{4}-W\d{2})")
ERROR_LIMIT = 150  # what a form shows under an input

Press = Callable[[dict[str, Any], Any], Coroutine[Any, Any, None]]
Form = Callable[..., Awaitable[None]]


def action_of(body: dict[str, Any], pattern: re.Pattern[str]) -> re.Match[str]:
    match = pattern.fullmatch(str(body["actions"][0]["action_id"]))
    assert match is not None  # bolt matched the same pattern to call us
    return match


def named_workspace(body: dict[str, Any], community_id: str) -> str:
    """The community a review button or form names; it can only be the one the press came from
    (one bot token serves one workspace), so any other is treated as a plan that is gone."""
    if community_id != community_of(str(body["team"]["id"])):
        log.warning("Slack: a review of %s reached %s", community_id, body["team"]["id"])
        raise UserError("goal_gone")
    return community_id


class WorkPresses:
    def __init__(
        self, services: Services, limiter: RateLimiter, replies: Replies, workspace: Workspace
    ) -> None:
        self.services = services
        self.limiter = limiter
        self.replies = replies
        self.workspace = workspace

    def presses(self) -> list[tuple[re.Pattern[str], Press]]:
        return [
            (USEFUL_ACTION, self.useful),
            (GOAL_ACTION, self.goal_done),
            (REVIEW_ACTION, self.write_review),
        ]

    def forms(self) -> list[tuple[str, Form]]:
        return [(REVIEW_VIEW, self.review_submitted), (REFLECT_VIEW, self.reflection_submitted)]

    async def _acting(self, body: dict[str, Any]) -> tuple[str, str, str]:
        """(community, user id, name) of the member who pressed or submitted, within the limit."""
        user = body["user"]
        community, user_id = community_of(str(body["team"]["id"])), str(user["id"])
        self.limiter.check(community, user_id)
        name = await self.workspace.member(community, user_id, str(user.get("username") or user_id))
        return community, user_id, name

    async def _refuse(self, respond: Respond, error: BaseException, where: str) -> None:
        # Said beside the message pressed, never in its place.
        line = member_line(error, where)
        await respond(text=line, response_type="ephemeral", replace_original=False)

    async def useful(self, body: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(body)
        try:
            item_id = int(action_of(body, USEFUL_ACTION)[1])
            community, user_id, name = await self._acting(body)
            vote = await self.services.sharing.vote(community, item_id, user_id, name)
            # The press's own response_url redraws the post: the post itself came through a
            # command's response_url, and Slack refuses chat.update on such a message.
            await reply(respond, share_post(vote.item), public=True, replace_original=True)
        except Exception as error:
            await self._refuse(respond, error, "Useful button")

    async def goal_done(self, body: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(body)
        try:
            match = action_of(body, GOAL_ACTION)
            community = named_workspace(body, community_of(match[1]))
            user_id = str(body["user"]["id"])
            self.limiter.check(community, user_id)
            plan = await self.services.plans.mark_done(community, user_id, match[2], int(match[3]))
            await reply(respond, goal_marked(plan), replace_original=False)
        except Exception as error:
            await self._refuse(respond, error, "Done button")

    async def write_review(self, body: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(body)
        try:
            match = action_of(body, REVIEW_ACTION)
            view = review_view(named_workspace(body, community_of(match[1])), match[2])
            # Nothing is read first: the trigger_id expires 3 s after the press.
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        except Exception as error:
            await self._refuse(respond, error, "Write a review button")

    async def review_submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = submitted_values(view)
        try:
            community, week = review_of(view)
            named_workspace(body, community)
            user_id = str(body["user"]["id"])
            self.limiter.check(community, user_id)
            await self.services.plans.write_review(
                community, user_id, week, values.get("helped"), values.get("hindered")
            )
        except Exception as error:
            about = error.params.get("field") if isinstance(error, UserError) else None
            block = "hindered" if about == "what got in the way" else "helped"
            text = member_line(error, "review form")[:ERROR_LIMIT]
            await ack(response_action="errors", errors={block: text})
            return
        await ack(response_action="update", view=done_view(REVIEW_TITLE, review_saved()))

    async def reflection_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        values = submitted_values(view)
        try:
            community, user_id, name = await self._acting(body)
            saved = await self.services.journal.reflect(
                community, user_id, name, values.get("answer")
            )
        except Exception as error:
            text = member_line(error, "reflection form")[:ERROR_LIMIT]
            await ack(response_action="errors", errors={"answer": text})
            return
        await ack(response_action="update", view=done_view(REFLECT_TITLE, reflection_saved(saved)))
