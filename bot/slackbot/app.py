"""The Slack front end: a bolt AsyncApp over Socket Mode, on the same services as Discord.

Every envelope is acked first (Slack waits 3 seconds at most); the answer follows through the
command's `response_url`, `chat.postMessage` or `views.open`. Errors never reach Slack as a
trace: a refusal is one ephemeral line, anything else an error id that the log has in full.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import date
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.limits import RateLimiter
from bot.messages.daily import solved_reply
from bot.messages.members import forgotten, leetcode_linked, nothing_deleted
from bot.messages.model import Message
from bot.messages.progress import checkin_reply
from bot.services.catalog import Services
from bot.slackbot import commands
from bot.slackbot.chat import SlackChat
from bot.slackbot.home import home
from bot.slackbot.ids import community_of
from bot.slackbot.invocation import Invocation, parse, raw_arguments
from bot.slackbot.presses import WorkPresses
from bot.slackbot.render import CHECKIN_ACTION, HINT_ACTION, SOLVED_PREFIX
from bot.slackbot.replies import Replies, Respond, member_line, reply
from bot.slackbot.socket import AckingSocketModeHandler, UnhandledFilter
from bot.slackbot.views import CHECKIN_VIEW, checkin_view, submitted_values
from bot.slackbot.workspace import Workspace

log = logging.getLogger(__name__)

Answer = Callable[[dict[str, Any], Any], Coroutine[Any, Any, None]]
DRAIN_SECONDS = 10.0  # at shutdown, how long answers in progress may take to finish
SOLVED_ACTION = re.compile(re.escape(SOLVED_PREFIX) + r"(\d{4}-\d{2}-\d{2}):([a-z0-9-]+)")


def web_client(token: str, base_url: str) -> AsyncWebClient:
    client = AsyncWebClient(token=token, base_url=base_url)
    # The SDK retries only connection errors by default; a 429 waits out its Retry-After.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    return client


class SlackFrontEnd:
    """Builds the bolt app for one workspace and runs it over Socket Mode."""

    def __init__(
        self,
        services: Services,
        client: AsyncWebClient,
        chat: SlackChat,
        app_token: str,
        commands_per_minute: int,
    ) -> None:
        self.services = services
        # The same per-member limit as on Discord: commands, and presses and forms that write.
        self.limiter = RateLimiter(commands_per_minute)
        self.client = client
        self.chat = chat  # the same port the services post through, so one pacer per channel
        self.workspace = Workspace(client, services.members)
        bolt_log = logging.getLogger("slack_bolt")
        bolt_log.addFilter(UnhandledFilter())
        self.app = AsyncApp(client=client, logger=bolt_log, process_before_response=True)
        self.app.use(self._only_our_workspace)
        self.replies = Replies()
        self.work = WorkPresses(services, self.limiter, self.replies, self.workspace)
        self._answers: set[asyncio.Task[None]] = set()  # waited for at shutdown
        self._app_token = app_token
        self._handler: AckingSocketModeHandler | None = None
        self._register()

    async def start(self) -> None:
        self._handler = AckingSocketModeHandler(self.app, self._app_token)
        await self._handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack: connected over Socket Mode")

    async def close(self) -> None:
        """Stop taking envelopes, then let the answers in progress finish."""
        if self._handler is not None:
            handler, self._handler = self._handler, None
            await handler.close_async()  # type: ignore[no-untyped-call]
        pending = [task for task in self._answers if not task.done()]
        if pending:
            log.info("Slack: waiting for %d answer(s) in progress", len(pending))
            await asyncio.wait(pending, timeout=DRAIN_SECONDS)
        await self.replies.close()

    # -- listeners ------------------------------------------------------------------------

    def _register(self) -> None:
        # With process_before_response the ack goes out as soon as the listener returns (bolt's
        # default polls for it every 10 ms), and the listener only starts the answer as a task
        # of ours: bolt's own "lazy" listeners deep-copy every request first.
        presses: list[tuple[str | re.Pattern[str], Answer]] = [
            (CHECKIN_ACTION, self._checkin_button),
            (SOLVED_ACTION, self._solved_button),
            (HINT_ACTION, self._hint_button),
            (commands.VERIFY_ACTION, self._verify_button),
            (commands.FORGET_ACTION, self._forget_button),
            (commands.KEEP_ACTION, self._keep_button),
            *self.work.presses(),
        ]
        for action, answer in presses:
            self.app.action(action)(self._acking(answer))
        self.app.command("/study")(self._acking(self._study))
        self.app.event("app_home_opened")(self._acking(self._home_opened))
        # The form's ack carries its errors, so the check-in runs before the ack (in 3 s).
        self.app.view(CHECKIN_VIEW)(self._checkin_submitted)
        for callback_id, form in self.work.forms():
            self.app.view(callback_id)(form)

    def _acking(self, answer: Answer) -> Callable[..., Awaitable[None]]:
        async def listener(ack: Any, body: dict[str, Any], client: Any) -> None:
            await ack()
            task = asyncio.create_task(answer(body, client))
            self._answers.add(task)
            task.add_done_callback(self._answered)

        return listener

    def _answered(self, task: asyncio.Task[None]) -> None:
        self._answers.discard(task)
        if not task.cancelled() and task.exception() is not None:
            member_line(task.exception() or Exception(), "an answer")  # logged with an id

    async def _only_our_workspace(
        self, context: Any, body: dict[str, Any], next: Any, logger: Any
    ) -> Any:
        """One bot token serves one workspace: a payload from any other is not ours to serve."""
        ours = context.authorize_result.team_id if context.authorize_result else None
        theirs = context.team_id
        if ours and theirs and theirs != ours:
            log.warning("Slack: ignored a payload from workspace %s (this bot is %s)", theirs, ours)
            return BoltResponse(status=200, body="")
        return await next()

    async def _member(self, team_id: str, user_id: str, typed_name: str) -> tuple[str, str]:
        community = community_of(team_id)
        return community, await self.workspace.member(community, user_id, typed_name)

    async def _reply(
        self,
        respond: Respond,
        message: Message,
        *,
        public: bool = False,
        buttons: tuple[dict[str, Any], ...] = (),
        replace_original: bool = False,
    ) -> None:
        await reply(
            respond,
            message,
            public=public,
            buttons=buttons,
            replace_original=True if replace_original else None,
        )

    async def _fail(self, respond: Respond, error: BaseException, where: str) -> None:
        await respond(text=member_line(error, where), response_type="ephemeral")

    async def _study(self, command: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(command)
        text = str(command.get("text", ""))
        name, words = parse(text)
        try:
            user_id = str(command["user_id"])
            self.limiter.check(community_of(str(command["team_id"])), user_id)
            typed = str(command.get("user_name") or user_id)
            if name == "forgetme":  # asking to be forgotten must not record the member again
                community, shown = community_of(str(command["team_id"])), typed
            else:
                community, shown = await self._member(str(command["team_id"]), user_id, typed)
            call = Invocation(
                community,
                user_id,
                shown,
                str(command["channel_id"]),
                words,
                self.workspace,
                raw_arguments(text),
            )
            answer = await commands.handler_for(name)(self.services, call)
            view = checkin_view(call.channel_id) if answer.open_checkin_form else answer.open_view
            if view is not None:
                await client.views_open(trigger_id=command["trigger_id"], view=view)
                return
            message = answer.message
            for file in answer.direct_files:
                sent = await self.chat.direct_file(user_id, file.filename, file.data, file.comment)
                if sent.failure is not None:
                    log.warning("direct file %s to %s: %s", file.filename, user_id, sent.detail)
                    note = (f"I could not send {file.filename} to your direct messages.",)
                    message = replace(message, content=(*message.content, note))
                    break
            await self._reply(respond, message, public=answer.public, buttons=answer.buttons)
        except Exception as error:
            await self._fail(respond, error, f"/study {name}")

    async def _checkin_button(self, body: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(body)
        try:
            # From a message, the check-in goes to its channel; from the Home tab, to the
            # study channel the tab was drawn with.
            channel = str((body.get("channel") or {}).get("id", ""))
            channel = channel or str((body.get("view") or {}).get("private_metadata", ""))
            await client.views_open(trigger_id=body["trigger_id"], view=checkin_view(channel))
        except Exception as error:
            await self._fail(respond, error, "Check in button")

    async def _solved_button(self, body: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(body)
        action = body["actions"][0]
        try:
            match = SOLVED_ACTION.fullmatch(str(action["action_id"]))
            assert match is not None
            user = body["user"]
            self.limiter.check(community_of(str(body["team"]["id"])), str(user["id"]))
            community, name = await self._member(
                str(body["team"]["id"]), str(user["id"]), str(user.get("username") or user["id"])
            )
            expected = (match[2], date.fromisoformat(match[1]))
            result = await self.services.content.solve(community, str(user["id"]), name, expected)
            await self._reply(respond, solved_reply(name, result), public=True)
        except Exception as error:
            await self._fail(respond, error, "Solved button")

    async def _hint_button(self, body: dict[str, Any], client: Any) -> None:
        action = body["actions"][0]
        await self.replies.to(body)(
            text=str(action.get("value", "")), response_type="ephemeral", replace_original=False
        )

    async def _verify_button(self, body: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(body)
        try:
            community = community_of(str(body["team"]["id"]))
            self.limiter.check(community, str(body["user"]["id"]))
            username = await self.services.leetcode.verify_link(community, str(body["user"]["id"]))
            await self._reply(respond, leetcode_linked(username), replace_original=True)
        except Exception as error:
            await self._fail(respond, error, "Verify button")

    async def _forget_button(self, body: dict[str, Any], client: Any) -> None:
        respond = self.replies.to(body)
        action = body["actions"][0]
        try:
            user_id = str(body["user"]["id"])
            if str(action.get("value")) != user_id:  # only the member who asked can confirm
                await self._reply(respond, nothing_deleted())
                return
            community = community_of(str(body["team"]["id"]))
            self.limiter.check(community, user_id)
            self.workspace.forget(community, user_id)
            deleted = await self.services.privacy.forget(community, user_id)
            await self._reply(respond, forgotten(deleted), replace_original=True)
        except Exception as error:
            await self._fail(respond, error, "Delete my data button")

    async def _keep_button(self, body: dict[str, Any], client: Any) -> None:
        await self._reply(self.replies.to(body), nothing_deleted(), replace_original=True)

    async def _checkin_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any
    ) -> None:
        values = submitted_values(view)
        user = body["user"]
        try:
            self.limiter.check(community_of(str(body["team"]["id"])), str(user["id"]))
            community, name = await self._member(
                str(body["team"]["id"]), str(user["id"]), str(user.get("username") or user["id"])
            )
            result = await self.services.checkins.check_in(
                community,
                str(user["id"]),
                name,
                values.get("minutes") or "",
                values.get("topic"),
                values.get("note"),
                "button",
                values.get("link"),
            )
        except Exception as error:
            text = member_line(error, "check-in form")
            await ack(response_action="errors", errors={"minutes": text[:150]})
            return
        await ack()
        channel = str(view.get("private_metadata") or "")
        if channel:
            await self.chat.post(community, channel, checkin_reply(name, result))

    async def _home_opened(self, body: dict[str, Any], client: Any) -> None:
        event = body["event"]
        if event.get("tab") not in (None, "home"):
            return
        user_id = str(event["user"])
        try:
            community, name = await self._member(str(body["team_id"]), user_id, user_id)
            view = await home(self.services, community, user_id, name)
            await self.client.views_publish(user_id=user_id, view=view)
        except Exception as error:
            member_line(error, "App Home")  # logged with an id; the tab keeps its last view
