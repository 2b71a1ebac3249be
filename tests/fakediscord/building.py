"""How Discord's client builds interactions: command options, `resolved` data, modal answers.

Everything is derived from what the bot registered or sent, so a test cannot send an option
type, a choice or a custom id the bot never declared; what the client would refuse (missing
required options, out-of-range values, hidden commands) raises unless the caller passes
`unchecked=True`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from . import payloads as p
from .messages import FakeFile, StoredMessage
from .world import FakeChannel, FakeRole, FakeUser, Member

SELECTS = (3, 5, 6, 7, 8)
_SCALARS: dict[int, tuple[str, type | tuple[type, ...]]] = {
    3: ("a string", str),
    4: ("an integer", int),
    5: ("a bool", bool),
    10: ("a number", (int, float)),
}


def find_leaf(
    member: Member, path: Sequence[str]
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    if not path:
        raise ValueError("name the command, e.g. member.slash('help')")
    command = member.guild.fake.find_command(path[0], member.guild)
    leaf, chain = command, []
    for name in path[1:]:
        subs = {o["name"]: o for o in leaf.get("options") or [] if o["type"] in (1, 2)}
        if name not in subs:
            raise AssertionError(f"/{' '.join(path)}: no subcommand {name!r} (has {list(subs)})")
        leaf = subs[name]
        chain.append(leaf)
    if any(o["type"] in (1, 2) for o in leaf.get("options") or []):
        names = [o["name"] for o in leaf["options"]]
        raise AssertionError(f"/{' '.join(path)} needs a subcommand: {names}")
    return command, leaf, chain


def check_permission(member: Member, command: Mapping[str, Any], path: Sequence[str]) -> None:
    needed = command.get("default_member_permissions")
    if needed is None:
        return
    have = member.guild.base_permissions(member)
    if int(needed) & ~have and not have & p.ADMINISTRATOR:
        raise AssertionError(
            f"Discord hides /{' '.join(path)} from {member.name}: it needs permissions {needed} "
            f"(default_member_permissions) and the member has {have}; pass unchecked=True "
            "to simulate a server that overrode the command's permissions"
        )


def command_options(
    member: Member,
    leaf: Mapping[str, Any],
    values: Mapping[str, Any],
    channel: FakeChannel,
    resolved: dict[str, dict[str, Any]],
    *,
    unchecked: bool,
    focus: str | None,
) -> list[dict[str, Any]]:
    declared = {o["name"]: o for o in leaf.get("options") or []}
    unknown = [name for name in values if name not in declared]
    if unknown:
        raise AssertionError(f"unknown option(s) {unknown}; /{leaf['name']} has {list(declared)}")
    if not unchecked:
        missing = [n for n, o in declared.items() if o.get("required") and n not in values]
        if missing:
            raise AssertionError(f"required option(s) {missing} missing; Discord would not send")
    out = []
    for name, value in values.items():
        option = declared[name]
        if name == focus:
            if not option.get("autocomplete"):
                raise AssertionError(f"option {name!r} is not autocompleted (autocomplete not set)")
            out.append({"name": name, "type": option["type"], "value": str(value), "focused": True})
            continue
        converted = _convert(member, option, value, channel, resolved, unchecked)
        out.append({"name": name, "type": option["type"], "value": converted})
    return out


def _convert(
    member: Member,
    option: Mapping[str, Any],
    value: Any,
    channel: FakeChannel,
    resolved: dict[str, dict[str, Any]],
    unchecked: bool,
) -> Any:
    kind = option["type"]
    if kind == 11:
        file = value if isinstance(value, FakeFile) else FakeFile(*value)
        attachment = member.guild.fake.host_attachment(channel.id, file, ephemeral=True)
        resolved.setdefault("attachments", {})[attachment["id"]] = attachment
        return attachment["id"]
    if kind in _REFERENCES:
        problem = _reference_problem(option, value)
        if problem is None or unchecked:
            return resolve(member, value, channel, resolved)
    else:
        value = _choice_value(option, value)
        problem = _scalar_problem(option, value)
        if problem is None or unchecked:
            return value
    raise AssertionError(f"option {option['name']!r} {problem}: got {value!r}")


def resolve(
    member: Member, value: Any, channel: FakeChannel, resolved: dict[str, dict[str, Any]]
) -> str:
    """A user/member, role or channel becomes its id plus its entry in `resolved`.

    `member` is the one acting: a channel's `permissions` are theirs, as Discord sends them.
    """
    guild = member.guild
    if isinstance(value, (Member, FakeUser)):
        user = value.user if isinstance(value, Member) else value
        resolved.setdefault("users", {})[str(user.id)] = p.user_payload(user)
        target = guild.members.get(user.id)
        if target is not None:
            bits = guild.permissions_for(target, channel)
            entry = p.member_payload(target, permissions=bits, with_user=False)
            resolved.setdefault("members", {})[str(user.id)] = entry
        return str(user.id)
    if isinstance(value, FakeRole):
        resolved.setdefault("roles", {})[str(value.id)] = p.role_payload(value)
        return str(value.id)
    if isinstance(value, FakeChannel):
        bits = member.guild.permissions_for(member, value)
        resolved.setdefault("channels", {})[str(value.id)] = p.channel_payload(
            value, permissions=bits
        )
        return str(value.id)
    return str(value)


def modal_answer(
    component: Mapping[str, Any],
    remaining: dict[str, Any],
    unchecked: bool,
    label: str | None = None,
) -> dict[str, Any]:
    kind = component["type"]
    if kind == 1:
        row = [modal_answer(c, remaining, unchecked) for c in component["components"]]
        return {"type": 1, "id": component.get("id"), "components": row}
    if kind == 18:
        inner = modal_answer(component["component"], remaining, unchecked, component["label"])
        return {"type": 18, "id": component.get("id"), "component": inner}
    if kind == 10:
        return {"type": 10, "id": component.get("id")}
    custom_id = component["custom_id"]
    label = label or component.get("label") or custom_id
    key = custom_id if custom_id in remaining else label
    given = remaining.pop(key, None)
    answer: dict[str, Any] = {"type": kind, "id": component.get("id"), "custom_id": custom_id}
    if kind == 4:
        value = (component.get("value") or "") if given is None else str(given)
        required = component.get("required", True)  # Discord's default for text inputs
        low = max(component.get("min_length") or 0, 1 if required else 0)
        high = component.get("max_length") or 4000
        if not unchecked and (required or value) and not low <= len(value) <= high:
            raise AssertionError(
                f"modal input {label!r} needs {low}-{high} characters, got {value!r}"
            )
        answer["value"] = value
    else:
        answer["values"] = [str(v) for v in given or []]
    return answer


def command_data(
    command: Mapping[str, Any],
    chain: list[dict[str, Any]],
    options: list[dict[str, Any]],
    resolved: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    # Subcommands wrap the leaf's options: group -> subcommand -> values.
    for sub in reversed(chain):
        options = [{"name": sub["name"], "type": sub["type"], "options": options}]
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": 1,
        "options": options,
    }
    if resolved:
        data["resolved"] = resolved
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def interaction_payload(
    member: Member,
    kind: int,
    data: dict[str, Any],
    channel: FakeChannel,
    message: StoredMessage | None = None,
) -> dict[str, Any]:
    guild, fake = member.guild, member.guild.fake
    interaction_id = p.new_id()
    bits = guild.permissions_for(member, channel)
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(fake.app_id),
        "type": kind,
        "data": data,
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": guild.features},
        "guild_id": str(guild.id),
        "channel": p.channel_payload(channel, permissions=bits),
        "channel_id": str(channel.id),
        "member": p.member_payload(member, permissions=bits),
        "token": f"aW50ZXJhY3Rpb246{interaction_id}:{secrets.token_urlsafe(48)}",
        "version": 1,
        "app_permissions": str(guild.permissions_for(guild.me, channel)),
        "locale": member.user.locale,
        "guild_locale": guild.locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": p.ATTACHMENT_SIZE_LIMIT,
    }
    if message is not None:
        payload["message"] = message.to_payload()
    return payload


def modal_inputs(components: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """custom_id -> label of every input, in both layouts (action row or Label)."""
    inputs = {}
    for top in components:
        if top["type"] == 18:
            inputs[top["component"]["custom_id"]] = top["label"]
        for inner in top.get("components") or []:
            inputs[inner["custom_id"]] = inner.get("label") or inner["custom_id"]
    return inputs


# Option types whose value is an object: user, channel, role, mentionable.
_REFERENCES: dict[int, tuple[type, ...]] = {
    6: (Member, FakeUser),
    7: (FakeChannel,),
    8: (FakeRole,),
    9: (Member, FakeUser, FakeRole),
}


def _choice_value(option: Mapping[str, Any], value: Any) -> Any:
    """Members pick a choice by its name in the client; the interaction carries its value."""
    for choice in option.get("choices") or []:
        if value == choice["name"]:
            return choice["value"]
    return value


def _scalar_problem(option: Mapping[str, Any], value: Any) -> str | None:
    """What Discord's client would not let a member send for this option, if anything."""
    kind = option["type"]
    if kind not in _SCALARS:
        return f"has option type {kind}, which the fake does not build"
    wanted, python_type = _SCALARS[kind]
    if isinstance(value, bool) != (kind == 5) or not isinstance(value, python_type):
        return f"must be {wanted}"
    choices = [c["value"] for c in option.get("choices") or []]
    if choices and value not in choices:
        return f"must be one of {choices}"
    if isinstance(value, str):
        low, high = option.get("min_length", 0), option.get("max_length", 6000)
        if not low <= len(value) <= high:
            return f"needs {low}-{high} characters"
    if kind in (4, 10):
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            return f"must be between {low} and {high}"
    return None


def _reference_problem(option: Mapping[str, Any], value: Any) -> str | None:
    kind = option["type"]
    if not isinstance(value, _REFERENCES[kind]):
        names = " or ".join(t.__name__ for t in _REFERENCES[kind])
        return f"takes a {names}"
    allowed = option.get("channel_types")
    if isinstance(value, FakeChannel) and allowed and value.type not in allowed:
        return f"takes channel types {allowed}"
    return None
