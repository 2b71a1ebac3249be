"""The Slack front end: a bolt AsyncApp over Socket Mode, on the same services as Discord.

Every envelope is acked first (Slack waits 3 seconds at most); the answer follows through the
command's `response_url`, `chat.postMessage` or `views.open`. Errors never reach Slack as a
trace: a refusal is one ephemeral line, anything else an error id that the log has in full.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.inputs import MAX_MINUTES, MIN_MINUTES, NOTE_LIMIT, TOPIC_LIMIT
from bot.errors import UserError
from bot.logs import new_error_id
from bot.messages.daily import solved_reply
from bot.messages.model import Message
from bot.messages.progress import checkin_reply
from bot.messages.refusals import refusal_text
from bot.services.catalog import Services
from bot.slackbot import commands
from bot.slackbot.chat import SlackChat
from bot.slackbot.ids import community_of
from bot.slackbot.render import CHECKIN_ACTION, HINT_ACTION, SOLVED_PREFIX, line, render

log = logging.getLogger(__name__)

CHECKIN_VIEW = "studybot:checkin"
SOLVED_ACTION = re.compile(re.escape(SOLVED_PREFIX) + r"(\d{4}-\d{2}-\d{2}):([a-z0-9-]+)")


def web_client(token: str, base_url: str) -> AsyncWebClient:
    client = AsyncWebClient(token=token, base_url=base_url)
    # The SDK retries only connection errors by default; a 429 waits out its Retry-After.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    return client


def refusal_line(error: BaseException) -> str | None:
    if isinstance(error, commands.Usage):
        return error.text()
    if isinstance(error, UserError):
        try:
            return line(refusal_text(error))
        except (KeyError, TypeError):
            return None
    return None


def member_line(error: BaseException, where: str) -> str:
    """The one line a member sees: the refusal, or an error id the log has in full."""
    text = refusal_line(error)
    if text is not None:
        return text
    error_id = new_error_id()
    log.error("error id %s: Slack %s failed", error_id, where, exc_info=error)
    return f"Something went wrong on my side (error id {error_id}). Please try again."


def checkin_view(channel_id: str) -> dict[str, Any]:
    def text_input(
        block: str, label: str, *, optional: bool, multiline: bool, limit: int
    ) -> dict[str, Any]:
        return {
            "type": "input",
            "block_id": block,
            "optional": optional,
            "label": {"type": "plain_text", "text": label},
            "element": {
                "type": "plain_text_input",
                "action_id": block,
                "multiline": multiline,
                "max_length": limit,
            },
        }

    return {
        "type": "modal",
        "callback_id": CHECKIN_VIEW,
        "private_metadata": channel_id,
        "title": {"type": "plain_text", "text": "Check in"},
        "submit": {"type": "plain_text", "text": "Check in"},
        "blocks": [
            text_input(
                "minutes",
                f"Minutes studied ({MIN_MINUTES}-{MAX_MINUTES})",
                optional=False,
                multiline=False,
                limit=3,
            ),
            text_input(
                "topic", "Topic (optional)", optional=True, multiline=False, limit=TOPIC_LIMIT
            ),
            text_input(
                "note",
                "Note for the group (optional)",
                optional=True,
                multiline=True,
                limit=NOTE_LIMIT,
            ),
        ],
    }


class SlackFrontEnd:
    """Builds the bolt app for one workspace and runs it over Socket Mode."""

    def __init__(
        self, services: Services, client: AsyncWebClient, chat: SlackChat, app_token: str
    ) -> None:
        self.services = services
        self.client = client
        self.chat = chat  # the same port the services post through, so one pacer per channel
        self.app = AsyncApp(client=client, logger=logging.getLogger("slack_bolt"))
        self._app_token = app_token
        self._handler: AsyncSocketModeHandler | None = None
        self._register()

    async def start(self) -> None:
        self._handler = AsyncSocketModeHandler(self.app, self._app_token)
        await self._handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack: connected over Socket Mode")

    async def close(self) -> None:
        if self._handler is not None:
            await self._handler.close_async()  # type: ignore[no-untyped-call]
            self._handler = None

    # -- listeners ------------------------------------------------------------------------

    def _register(self) -> None:
        self.app.command("/study")(self._study)
        self.app.action(CHECKIN_ACTION)(self._checkin_button)
        self.app.action(SOLVED_ACTION)(self._solved_button)
        self.app.action(HINT_ACTION)(self._hint_button)
        self.app.view(CHECKIN_VIEW)(self._checkin_submitted)

    async def _reply(self, respond: Any, message: Message, *, public: bool = False) -> None:
        drawn = render(message)
        await respond(
            text=drawn.text,
            blocks=drawn.blocks,
            response_type="in_channel" if public else "ephemeral",
        )

    async def _fail(self, respond: Any, error: BaseException, where: str) -> None:
        await respond(text=member_line(error, where), response_type="ephemeral")

    async def _study(self, ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        await ack()
        name, words = commands.parse(str(command.get("text", "")))
        call = commands.Invocation(
            community_of(str(command["team_id"])),
            str(command["user_id"]),
            str(command.get("user_name") or command["user_id"]),
            str(command["channel_id"]),
            words,
        )
        try:
            sub = commands.SUBCOMMANDS.get(name)
            if sub is None:
                raise commands.unknown(name)
            answer = await sub.handler(self.services, call)
            if answer.open_checkin_form:
                await client.views_open(
                    trigger_id=command["trigger_id"], view=checkin_view(call.channel_id)
                )
                return
            message = answer.message
            if answer.direct_picture and message.picture is not None:
                await self.chat.direct(
                    call.community_id,
                    call.user_id,
                    Message(picture=message.picture, fallback="Your heatmap"),
                )
            await self._reply(respond, message, public=answer.public)
        except Exception as error:
            await self._fail(respond, error, f"/study {name}")

    async def _checkin_button(
        self, ack: Any, body: dict[str, Any], client: Any, respond: Any
    ) -> None:
        await ack()
        try:
            channel = str((body.get("channel") or {}).get("id", ""))
            await client.views_open(trigger_id=body["trigger_id"], view=checkin_view(channel))
        except Exception as error:
            await self._fail(respond, error, "Check in button")

    async def _solved_button(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        await ack()
        try:
            match = SOLVED_ACTION.fullmatch(str(action["action_id"]))
            assert match is not None
            user = body["user"]
            name = str(user.get("username") or user.get("name") or user["id"])
            community = community_of(str(body["team"]["id"]))
            expected = (match[2], date.fromisoformat(match[1]))
            result = await self.services.content.solve(community, str(user["id"]), name, expected)
            await self._reply(respond, solved_reply(name, result), public=True)
        except Exception as error:
            await self._fail(respond, error, "Solved button")

    async def _hint_button(self, ack: Any, action: dict[str, Any], respond: Any) -> None:
        await ack()
        await respond(
            text=str(action.get("value", "")), response_type="ephemeral", replace_original=False
        )

    async def _checkin_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any
    ) -> None:
        values = {
            block: next(iter(inputs.values())).get("value")
            for block, inputs in view["state"]["values"].items()
        }
        user = body["user"]
        name = str(user.get("username") or user.get("name") or user["id"])
        community = community_of(str(body["team"]["id"]))
        try:
            result = await self.services.checkins.check_in(
                community,
                str(user["id"]),
                name,
                values.get("minutes") or "",
                values.get("topic"),
                values.get("note"),
                "button",
            )
        except Exception as error:
            text = member_line(error, "check-in form")
            await ack(response_action="errors", errors={"minutes": text[:150]})
            return
        await ack()
        channel = str(view.get("private_metadata") or "")
        if channel:
            await self.chat.post(community, channel, checkin_reply(name, result))
