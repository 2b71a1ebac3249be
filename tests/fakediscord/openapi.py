"""Check requests (and the fake's own answers) against Discord's OpenAPI 3.1 description.

The description is `discord-openapi.json` beside this file (MIT, see `discord-openapi.LICENSE`).
Where it is stricter than Discord on something discord.py legitimately sends, the allow-list is
explicit and small: `_NORMALISERS` (default_member_permissions as a string) and
`_lenient_for_requests` (snowflakes as JSON integers). Where the documentation is stricter than
the schema, `document_checks` adds the documented rule (2000-character content, 6000-character
embeds, command naming and option order).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("discord-openapi.json")
_SPEC_URI = "urn:discord-openapi"
_METHODS = ("get", "put", "post", "patch", "delete")
_FILE_FIELD = re.compile(r"files\[\d+\]")


@functools.cache
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec: dict[str, Any] = json.load(fh)
    return spec


def _is_digit_string(value: Any) -> bool:
    return isinstance(value, str) and value.isdigit()


def _permissions_as_int(body: Any) -> Any:
    # The spec types default_member_permissions as an integer; Discord documents it as a
    # string of bits ("?string") and discord.py sends a string, which Discord accepts.
    items = body if isinstance(body, list) else [body]
    for item in items:
        if isinstance(item, dict) and _is_digit_string(item.get("default_member_permissions")):
            item["default_member_permissions"] = int(item["default_member_permissions"])
    return body


# (method, path template) -> normalisers applied to a copy of the body before validation.
_NORMALISERS: dict[tuple[str, str], tuple[Callable[[Any], Any], ...]] = {
    ("PUT", "/applications/{application_id}/commands"): (_permissions_as_int,),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands"): (_permissions_as_int,),
    ("POST", "/applications/{application_id}/commands"): (_permissions_as_int,),
    ("POST", "/applications/{application_id}/guilds/{guild_id}/commands"): (_permissions_as_int,),
}


def _lenient_for_requests(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec with integer snowflakes allowed, for checking requests only.

    Discord reads ids sent as JSON integers (its documentation's own examples upload with
    `"id": 0`), and discord.py sends `recipient_id` and new attachment ids that way. Answers
    always carry strings, so the fake's own answers are checked against the strict spec.
    """
    schemas = dict(spec["components"]["schemas"])
    schemas["SnowflakeType"] = {
        "anyOf": [schemas["SnowflakeType"], {"type": "integer", "minimum": 0}]
    }
    return {**spec, "components": {**spec["components"], "schemas": schemas}}


@dataclass(frozen=True)
class RouteMatch:
    template: str
    params: dict[str, str]


class SpecIndex:
    """Path templates, operations and compiled validators of one OpenAPI document."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self._strict = Registry().with_resource(_SPEC_URI, DRAFT202012.create_resource(spec))
        lenient = DRAFT202012.create_resource(_lenient_for_requests(spec))
        self._lenient = Registry().with_resource(_SPEC_URI, lenient)
        self._validators: dict[tuple[str, bool], Draft202012Validator] = {}
        routes = []
        for template in spec["paths"]:
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            literal = sum(1 for seg in template.split("/") if seg and not seg.startswith("{"))
            routes.append((re.compile(pattern + "$"), template, literal))
        # A literal segment beats a parameter: /users/@me wins over /users/{user_id}.
        self._routes = sorted(routes, key=lambda r: -r[2])

    def match(self, path: str) -> RouteMatch | None:
        for regex, template, _ in self._routes:
            found = regex.match(path)
            if found:
                return RouteMatch(template, found.groupdict())
        return None

    def operation(self, method: str, template: str) -> dict[str, Any] | None:
        op: dict[str, Any] | None = self.spec["paths"][template].get(method.lower())
        return op

    def allowed_methods(self, template: str) -> list[str]:
        return [m.upper() for m in _METHODS if m in self.spec["paths"][template]]

    def needs_bot_token(self, method: str, template: str) -> bool:
        op = self.operation(method, template) or {}
        # `{}` in the security list means the route also works without credentials (webhooks).
        return {} not in op.get("security", [{}])

    def _validator(self, pointer: str, *, request: bool = True) -> Draft202012Validator:
        validator = self._validators.get((pointer, request))
        if validator is None:
            registry = self._lenient if request else self._strict
            ref = f"{_SPEC_URI}#{quote(pointer)}"
            validator = Draft202012Validator({"$ref": ref}, registry=registry)
            self._validators[(pointer, request)] = validator
        return validator

    def check_request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        has_body: bool = False,
        multipart_fields: Iterable[str] = (),
    ) -> list[str]:
        """Problems with one request; an empty list means Discord would accept its shape."""
        where = f"{method} {path}"
        route = self.match(path)
        if route is None:
            return [f"{where}: no such route in Discord's API"]
        op = self.operation(method, route.template)
        if op is None:
            allowed = ", ".join(self.allowed_methods(route.template))
            return [f"{where}: method not allowed on {route.template} (allowed: {allowed})"]
        problems: list[str] = []
        problems += self._check_params(where, method, route, op, query or {})
        fields = list(multipart_fields)
        for field in fields:
            if field != "payload_json" and not _FILE_FIELD.fullmatch(field):
                problems.append(f"{where}: unexpected multipart field {field!r}")
        request_body = op.get("requestBody")
        if request_body is None:
            if has_body:
                problems.append(f"{where}: this operation takes no request body")
            return problems
        if not has_body:
            if request_body.get("required"):
                problems.append(f"{where}: request body is required")
            return problems
        content = request_body.get("content", {})
        media = "application/json" if "application/json" in content else next(iter(content), "")
        if fields and "multipart/form-data" not in content:
            problems.append(f"{where}: multipart/form-data is not accepted here")
        instance = body
        normalisers = _NORMALISERS.get((method, route.template), ())
        if normalisers:
            instance = copy.deepcopy(body)  # the recorded request keeps what the bot sent
            for normalise in normalisers:
                instance = normalise(instance)
        pointer = _pointer("paths", route.template, method.lower(), "requestBody", "content")
        validator = self._validator(f"{pointer}/{_escape(media)}/schema")
        problems += [f"{where}: {_describe(err)}" for err in validator.iter_errors(instance)]
        problems += [f"{where}: {msg}" for msg in document_checks(method, route.template, body)]
        return problems

    def _check_params(
        self,
        where: str,
        method: str,
        route: RouteMatch,
        op: Mapping[str, Any],
        query: Mapping[str, str],
    ) -> list[str]:
        problems = []
        declared: dict[tuple[str, str], tuple[str, Mapping[str, Any]]] = {}
        base = _pointer("paths", route.template)
        levels = ((base, self.spec["paths"][route.template]), (f"{base}/{method.lower()}", op))
        for level, owner in levels:
            for i, param in enumerate(owner.get("parameters", [])):
                declared[(param["in"], param["name"])] = (f"{level}/parameters/{i}/schema", param)
        for name, value in route.params.items():
            if ("path", name) in declared:
                pointer, param = declared[("path", name)]
                problems += self._check_value(
                    where, f"path parameter {name}", pointer, param, value
                )
        for name, value in query.items():
            if ("query", name) not in declared:
                problems.append(f"{where}: unknown query parameter {name!r}")
            else:
                pointer, param = declared[("query", name)]
                problems += self._check_value(
                    where, f"query parameter {name}", pointer, param, value
                )
        return problems

    def _check_value(
        self, where: str, what: str, pointer: str, param: Mapping[str, Any], raw: str
    ) -> list[str]:
        schema = param.get("schema", {})
        value: Any = raw
        if schema.get("type") == "boolean":
            lowered = raw.lower()
            if lowered not in ("true", "false", "1", "0"):
                return [f"{where}: {what} must be a boolean, got {raw!r}"]
            value = lowered in ("true", "1")
        elif schema.get("type") == "integer":
            try:
                value = int(raw)
            except ValueError:
                return [f"{where}: {what} must be an integer, got {raw!r}"]
        errors = self._validator(pointer).iter_errors(value)
        return [f"{where}: {what}: {_describe(err)}" for err in errors]

    def check_response(self, method: str, template: str, status: int, body: Any) -> list[str]:
        """Problems with an answer the fake gives (a bug in the fake, not in the bot)."""
        op = self.operation(method, template)
        if op is None or status >= 400:
            return []
        responses = op.get("responses", {})
        key = str(status) if str(status) in responses else f"{status // 100}XX"
        response = responses.get(key)
        where = f"fake answered {method} {template} with {status}"
        if response is None:
            return [f"{where}: status not documented (documented: {', '.join(responses)})"]
        if "application/json" not in response.get("content", {}):
            return [] if body is None else [f"{where}: this status carries no body"]
        pointer = _pointer("paths", template, method.lower(), "responses", key, "content")
        validator = self._validator(f"{pointer}/application~1json/schema", request=False)
        return [f"{where}: {_describe(err)}" for err in validator.iter_errors(body)]


_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


def document_checks(method: str, template: str, body: Any) -> list[str]:
    """Rules from Discord's documentation that the schema does not express."""
    problems: list[str] = []
    if template.endswith("/commands") and method in ("PUT", "POST"):
        commands = body if isinstance(body, list) else [body]
        names = [c.get("name") for c in commands if isinstance(c, dict)]
        for name in {n for n in names if names.count(n) > 1}:
            problems.append(f"command name {name!r} is registered twice")
        for i, command in enumerate(commands):
            if isinstance(command, dict) and command.get("type", 1) in (1, None):
                problems += _check_chat_input(f"$[{i}]", command)
        return problems
    containers = [body]
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        containers.append(body["data"])
    for container in containers:
        if not isinstance(container, dict):
            continue
        content = container.get("content")
        if isinstance(content, str) and len(content) > 2000:
            problems.append(f"content has {len(content)} characters (Discord allows 2000)")
        embeds = container.get("embeds") or []
        total = sum(_embed_chars(e) for e in embeds if isinstance(e, dict))
        if total > 6000:
            problems.append(f"embeds hold {total} characters in total (Discord allows 6000)")
    return problems


def _check_chat_input(where: str, item: Mapping[str, Any]) -> list[str]:
    problems = []
    name = item.get("name", "")
    if not _COMMAND_NAME.match(str(name)) or str(name) != str(name).lower():
        problems.append(f"{where}.name {name!r}: chat input names are 1-32 lowercase characters")
    if not item.get("description"):
        problems.append(f"{where}.description: chat input commands and options need one")
    options = item.get("options") or []
    seen_optional = False
    option_names = [o.get("name") for o in options]
    for j, option in enumerate(options):
        sub = f"{where}.options[{j}]"
        if option_names.count(option.get("name")) > 1:
            problems.append(f"{sub}: option name {option.get('name')!r} is used twice")
        if option.get("type") in (1, 2):
            problems += _check_chat_input(sub, option)
            continue
        if option.get("required"):
            if seen_optional:
                problems.append(f"{sub}: required options must come before optional ones")
        else:
            seen_optional = True
        if not option.get("description"):
            problems.append(f"{sub}.description: options need a description")
        if not _COMMAND_NAME.match(str(option.get("name", ""))):
            problems.append(f"{sub}.name {option.get('name')!r} is not a valid option name")
    return problems


def _embed_chars(embed: Mapping[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for field in embed.get("fields") or []:
        total += len(field.get("name") or "") + len(field.get("value") or "")
    return total


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(*tokens: str) -> str:
    return "".join("/" + _escape(t) for t in tokens)


def _branch_score(errors: list[ValidationError]) -> tuple[bool, int]:
    # A branch whose "type" discriminator does not match was not the one meant.
    mismatch = any(
        e.validator in ("enum", "const") and list(e.path)[-1:] == ["type"] for e in errors
    )
    return mismatch, len(errors)


def _describe(err: ValidationError) -> str:
    """The most telling message: inside a failed oneOf/anyOf, the branch that was meant."""
    best = err
    while best.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in best.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        meant = min(branches.values(), key=_branch_score)
        best = max(meant, key=lambda e: len(e.absolute_path))
    message = best.message if len(best.message) <= 300 else best.message[:297] + "..."
    return f"{best.json_path}: {message}"


@functools.cache
def spec_index() -> SpecIndex:
    """The shared index of the bundled description (built once per process)."""
    return SpecIndex(load_spec())
