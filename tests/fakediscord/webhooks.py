"""Interaction callbacks and the interaction webhook (followups, @original), as Discord runs them.

Discord's rules the bot can trip over, kept here: acknowledge within 3 s, only once, with a
callback type that fits the interaction; the first followup after a deferred reply fills in
that reply; tokens belong to the app that got the interaction.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from . import payloads as p
from .messages import StoredMessage, number_components
from .rest import ApiError, Call, Handler, Rest

if TYPE_CHECKING:
    from .replies import InteractionRecord

UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
UNKNOWN_WEBHOOK = {"message": "Unknown Webhook", "code": 10015}
ALREADY_ACKNOWLEDGED = {"message": "Interaction has already been acknowledged.", "code": 40060}
# Callback types each interaction type may answer with (2 command, 3 component, 4 autocomplete,
# 5 modal submit): 4 message, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal.
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
_WEBHOOK = "/webhooks/{webhook_id}/{webhook_token}"
_ORIGINAL = _WEBHOOK + "/messages/@original"
_MESSAGE = _WEBHOOK + "/messages/{message_id}"


class Webhooks:
    def __init__(self, rest: Rest) -> None:
        self.rest = rest
        self.fake = rest.fake
        self.handlers: dict[tuple[str, str], Handler] = {
            ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"): self.callback,
            ("POST", _WEBHOOK): self.followup,
        }
        for template in (_ORIGINAL, _MESSAGE):
            self.handlers[("GET", template)] = self.get_message
            self.handlers[("PATCH", template)] = self.edit_message
            self.handlers[("DELETE", template)] = self.delete_message

    def _refuse(
        self, record: InteractionRecord | None, text: str, status: int, body: dict[str, Any]
    ) -> ApiError:
        self.fake.problem(text)
        if record is not None:
            record.changed.notify()
        return ApiError(status, body)

    async def callback(self, call: Call) -> tuple[int, Any]:
        record = self.fake.interactions.get(call.id("interaction_id"))
        where = f"callback for interaction {call.params['interaction_id']}"
        if record is None or record.token != call.params["interaction_token"]:
            raise self._refuse(
                None, f"{where}: unknown interaction or token", 404, UNKNOWN_INTERACTION
            )
        if record.callback is not None:
            raise self._refuse(record, f"{where}: acknowledged twice", 400, ALREADY_ACKNOWLEDGED)
        elapsed = asyncio.get_running_loop().time() - record.sent_at
        deadline = self.fake.interaction_deadline
        if deadline is not None and elapsed > deadline:
            record.error = (
                f"the bot acknowledged after {elapsed:.2f} s; Discord allows {deadline} s"
            )
            raise self._refuse(record, f"{where}: {record.error}", 404, UNKNOWN_INTERACTION)
        body = call.body or {}
        kind, data = body.get("type"), body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS[record.type] or (kind in (6, 7) and record.source is None):
            text = f"{where}: callback type {kind} cannot answer interaction type {record.type}"
            record.error = text
            raise self._refuse(record, text, 400, {"message": "Invalid Form Body", "code": 50035})
        record.callback = body
        info: dict[str, Any] = {"id": str(record.id), "type": record.type}
        answer: dict[str, Any] = {"interaction": info}
        if kind in (4, 5):
            flags = (data.get("flags") or 0) | (p.LOADING if kind == 5 else 0)
            content = data if kind == 4 else {}
            msg = self.rest.new_message(
                record.channel,
                content,
                call.files,
                flags=flags,
                kind=20 if record.type == 2 else 0,
                interaction=record,
            )
            record.original, record.finished = msg, kind == 4
            info |= {
                "response_message_id": str(msg.id),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": msg.ephemeral,
            }
            if kind == 4:
                answer["resource"] = {"type": 4, "message": msg.to_payload()}
        elif kind in (6, 7) and record.source is not None:
            record.original = record.source
            info["response_message_id"] = str(record.source.id)
            if kind == 7:
                self.rest.edit(record.source, data, call.files)
                record.finished = True
                answer["resource"] = {"type": 7, "message": record.source.to_payload()}
        elif kind == 9:
            # Discord numbers the modal's components; the submit echoes those ids.
            record.callback = {
                **body,
                "data": {**data, "components": number_components(data["components"])},
            }
        record.changed.notify()
        return 200, answer

    def _record(self, call: Call) -> InteractionRecord:
        token = call.params["webhook_token"]
        record = next((r for r in self.fake.interactions.values() if r.token == token), None)
        if record is None or call.id("webhook_id") != self.fake.app_id:
            raise self._refuse(
                None,
                f"{call.method} {call.path}: unknown interaction webhook",
                404,
                UNKNOWN_WEBHOOK,
            )
        if record.callback is None:
            text = f"{call.method} {call.path}: interaction {record.id} used before acknowledging"
            raise self._refuse(record, text, 404, UNKNOWN_WEBHOOK)
        return record

    def _target(self, call: Call) -> tuple[InteractionRecord, StoredMessage]:
        record = self._record(call)
        if "message_id" in call.params:
            wanted = call.id("message_id")
            mine = [m for m in [record.original, *record.followups] if m is not None]
            msg = next((m for m in mine if m.id == wanted), None)
        else:
            msg = record.original
        if msg is None or msg.deleted:
            raise ApiError(404, p.UNKNOWN_MESSAGE)
        return record, msg

    async def followup(self, call: Call) -> tuple[int, Any]:
        record = self._record(call)
        body = call.body or {}
        original = record.original
        if original is not None and original.loading and record.callback_type == 5:
            # The first followup after a deferred reply becomes that reply (and keeps its
            # visibility: a followup cannot make an ephemeral "thinking" message public).
            self.rest.edit(original, body, call.files)
            msg = original
        else:
            flags = (body.get("flags") or 0) & (p.EPHEMERAL | p.IS_COMPONENTS_V2)
            msg = self.rest.new_message(
                record.channel, body, call.files, flags=flags, interaction=record
            )
        record.finished = True
        record.followups.append(msg)
        record.changed.notify()
        wait = call.query.get("wait", "false").lower() in ("true", "1")
        return (200, msg.to_payload()) if wait else (204, None)

    async def get_message(self, call: Call) -> tuple[int, Any]:
        return 200, self._target(call)[1].to_payload()

    async def edit_message(self, call: Call) -> tuple[int, Any]:
        record, msg = self._target(call)
        self.rest.edit(msg, call.body or {}, call.files)
        if msg is record.original:
            record.finished = True
        record.changed.notify()
        return 200, msg.to_payload()

    async def delete_message(self, call: Call) -> tuple[int, Any]:
        record, msg = self._target(call)
        self.rest.delete(msg)
        record.changed.notify()
        return 204, None
