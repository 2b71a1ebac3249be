"""What a member does: the interactions Discord's client would send on their behalf.

`slash`, `autocomplete`, `click` and `submit_modal` build the interaction from what the bot
registered or sent (so option types, choices and custom ids come from the bot itself), push it
down the gateway and wait for the bot's answer, which comes back as a `Reply`.
"""

# Waits take `timeout=` on purpose: tests read better as `await x(timeout=5)`.
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import building as b
from .messages import StoredMessage
from .replies import InteractionRecord, Reply
from .world import FakeChannel, Member


class FakeMember(Member):
    """A user in a guild, able to use the bot as a person in Discord's client would."""

    async def slash(
        self,
        *path: str,
        in_channel: FakeChannel | None = None,
        timeout: float = 10.0,
        unchecked: bool = False,
        options: Mapping[str, Any] | None = None,
        **values: Any,
    ) -> Reply:
        """Run `/path...` with options as keyword arguments (or `options=` for reserved names).

        Checks what Discord's client would (permissions, required options, choices, ranges)
        unless `unchecked=True`, to test the bot's own validation.
        """
        values = {**(options or {}), **values}
        channel = in_channel or self.guild.channels[0]
        command, leaf, chain = b.find_leaf(self, path)
        if not unchecked:
            b.check_permission(self, command, path)
        resolved: dict[str, dict[str, Any]] = {}
        opts = b.command_options(
            self, leaf, values, channel, resolved, unchecked=unchecked, focus=None
        )
        data = b.command_data(command, chain, opts, resolved)
        what = f"/{' '.join(path)} {values or ''}".strip()
        return await self._interact(2, data, channel, what, timeout)

    async def autocomplete(
        self,
        *path: str,
        focus: str | None = None,
        timeout: float = 10.0,
        in_channel: FakeChannel | None = None,
        options: Mapping[str, Any] | None = None,
        **values: Any,
    ) -> list[dict[str, Any]]:
        """Type into an autocompleted option (`focus`, default: the last one given)."""
        values = {**(options or {}), **values}
        if not values:
            raise ValueError("autocomplete needs the option being typed, e.g. zone='Eur'")
        focus = focus or list(values)[-1]
        channel = in_channel or self.guild.channels[0]
        command, leaf, chain = b.find_leaf(self, path)
        resolved: dict[str, dict[str, Any]] = {}
        opts = b.command_options(self, leaf, values, channel, resolved, unchecked=True, focus=focus)
        data = b.command_data(command, chain, opts, resolved)
        reply = await self._interact(4, data, channel, f"autocomplete /{' '.join(path)}", timeout)
        if reply.type != 8 or reply.choices is None:
            raise AssertionError(f"autocomplete got callback type {reply.type}, not 8 (choices)")
        return reply.choices

    async def click(
        self,
        message: StoredMessage | Reply,
        custom_id: str,
        *,
        values: Sequence[Any] | None = None,
        timeout: float = 10.0,
        unchecked: bool = False,
    ) -> Reply:
        """Press a button (or pick `values` in a select) on a message the bot sent."""
        msg = message.message if isinstance(message, Reply) else message
        if msg is None:
            raise AssertionError(f"{message!r} carries no message to click on")
        component = msg.component(custom_id)
        if component is None:
            raise AssertionError(
                f"no component {custom_id!r} on message {msg.id}: {msg.custom_ids}"
            )
        if component.get("disabled") and not unchecked:
            raise AssertionError(f"component {custom_id!r} is disabled; Discord would not send it")
        owner = (msg.interaction_metadata or {}).get("user", {}).get("id")
        if msg.ephemeral and owner != str(self.id) and not unchecked:
            raise AssertionError(f"message {msg.id} is ephemeral: only its user sees it")
        offered = [o["value"] for o in component.get("options") or []]
        if offered and not unchecked and not set(map(str, values or [])) <= set(offered):
            raise AssertionError(f"select {custom_id!r} offers {offered}, not {values}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        channel = self.guild.fake.channel(msg.channel_id)
        if component["type"] in b.SELECTS:
            resolved: dict[str, dict[str, Any]] = {}
            data["values"] = [b.resolve(self, v, channel, resolved) for v in values or []]
            if resolved:
                data["resolved"] = resolved
        payload = b.interaction_payload(self, 3, data, channel, message=msg)
        return await self._send(payload, channel, f"click {custom_id!r}", timeout, source=msg)

    async def submit_modal(
        self,
        opened: Reply,
        values: Mapping[str, Any],
        *,
        timeout: float = 10.0,
        unchecked: bool = False,
    ) -> Reply:
        """Fill in and submit the modal the bot opened; keys are custom ids or labels."""
        modal = opened.modal
        if modal is None:
            raise AssertionError(f"the bot answered with callback type {opened.type}, not a modal")
        inputs = b.modal_inputs(modal["components"])
        unknown = [key for key in values if key not in inputs and key not in inputs.values()]
        if unknown:
            raise AssertionError(
                f"modal {modal['custom_id']!r} has no input {unknown}; it has {inputs}"
            )
        remaining = dict(values)
        components = [b.modal_answer(c, remaining, unchecked) for c in modal["components"]]
        data = {"custom_id": modal["custom_id"], "components": components}
        opener = opened.record
        payload = b.interaction_payload(self, 5, data, opener.channel, message=opener.source)
        what = f"submit modal {modal['custom_id']!r}"
        return await self._send(payload, opener.channel, what, timeout, opener.source, opener)

    async def _interact(
        self, kind: int, data: dict[str, Any], channel: FakeChannel, what: str, timeout: float
    ) -> Reply:
        payload = b.interaction_payload(self, kind, data, channel)
        return await self._send(payload, channel, what, timeout)

    async def _send(
        self,
        payload: dict[str, Any],
        channel: FakeChannel,
        what: str,
        timeout: float,
        source: StoredMessage | None = None,
        trigger: InteractionRecord | None = None,
    ) -> Reply:
        record = self.guild.fake.start_interaction(payload, self, channel, source, trigger)
        await record.wait_acknowledged(what, timeout)
        return Reply(record)
