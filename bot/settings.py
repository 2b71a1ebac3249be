"""Settings from the environment and an optional `.env` file, validated once at start-up.

Every problem is reported as one line that names the setting and what it accepts, so an
organiser without a Python background can fix it from the message alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.domain.shards import ShardPlan, parse_shard_ids
from bot.store.sql import server_of

README_SETUP = "README.md, section 'Create the Discord application'"

NO_PLATFORM_HELP = (
    "no chat platform is configured: set DISCORD_TOKEN to run on Discord (a bot token from "
    "https://discord.com/developers/applications), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN to "
    "run on Slack (an app made from `studybot slack manifest` at https://api.slack.com/apps), "
    "or all three for both, in the environment or in a file named .env next to where you run "
    f"the bot. Step-by-step instructions: {README_SETUP}, and 'Create the Slack app'."
)

DEFAULT_DATABASE_URL = "sqlite:///data/studybot.db"
DEFAULT_SLACK_API_BASE_URL = "https://slack.com/api/"
DEFAULT_API_BASE_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
DEFAULT_LEETCODE_GRAPHQL_URL = "https://leetcode.com/graphql"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is the one line to show."""


@dataclass(frozen=True)
class Settings:
    # Kept out of repr() so that a logged or printed Settings never shows the token.
    discord_token: str | None = field(repr=False)
    database_path: Path | None  # the SQLite file; None on PostgreSQL
    dev_guild_id: int | None
    log_level: str
    api_base_url: str
    gateway_url: str
    leetcode_graphql_url: str
    commands_per_minute: int = 10
    retention_days: int = 90
    backup_dir: Path | None = None  # None: "backups" next to the database
    backup_keep: int = 7
    allowed_servers: frozenset[int] | None = None  # None: any server may add the bot
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_base_url: str = DEFAULT_SLACK_API_BASE_URL
    # DATABASE_URL when it names a PostgreSQL server (it may hold a password: kept out of repr).
    postgres_url: str | None = field(default=None, repr=False)
    shards: ShardPlan = field(default_factory=ShardPlan)

    @property
    def runs_discord(self) -> bool:
        return bool(self.discord_token)

    @property
    def runs_slack(self) -> bool:
        return bool(self.slack_bot_token and self.slack_app_token)

    def require_platform(self) -> None:
        """At least one platform, and none half-configured."""
        if bool(self.slack_bot_token) != bool(self.slack_app_token):
            missing = "SLACK_APP_TOKEN" if self.slack_bot_token else "SLACK_BOT_TOKEN"
            raise SettingsError(
                f"{missing} is not set: Slack needs both the bot token (xoxb-…) and the app "
                "token (xapp-…, with connections:write); see README.md, 'Create the Slack app'."
            )
        if not self.runs_discord and not self.runs_slack:
            raise SettingsError(NO_PLATFORM_HELP)

    @property
    def backups(self) -> Path:
        if self.backup_dir is not None:
            return self.backup_dir
        # On PostgreSQL the bot makes no backups of its own (pg_dump does): nothing is written.
        return (self.database_path.parent if self.database_path else Path(".")) / "backups"

    @property
    def database_shown(self) -> str:
        """The database as messages name it: the file, or the server without its password."""
        if self.postgres_url is not None:
            return server_of(self.postgres_url)
        return str(self.database_path)


def parse_dotenv(text: str) -> dict[str, str]:
    """Parse the simple `.env` format: KEY=VALUE lines, `#` comments, optional quotes."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        key = key.strip()
        # The line itself is never echoed: a pasted token is the likeliest malformed line.
        if not sep:
            raise SettingsError(
                f".env line {number} has no '='; write each setting as NAME=value on its own "
                "line (the line is not shown, in case it holds a secret)."
            )
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise SettingsError(
                f".env line {number}: the name before '=' must be letters, digits and "
                "underscores, not starting with a digit, such as DISCORD_TOKEN (the line is "
                "not shown, in case it holds a secret)."
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv_path: Path | None = Path(".env")
) -> Settings:
    """Read settings; the real environment wins over `.env` so deployments can override it."""
    merged: dict[str, str] = {}
    if dotenv_path is not None and dotenv_path.is_file():
        merged.update(parse_dotenv(dotenv_path.read_text(encoding="utf-8")))
    merged.update(os.environ if environ is None else environ)

    def get(name: str, default: str | None = None) -> str | None:
        value = merged.get(name, "").strip()
        return value or default

    database_url = get("DATABASE_URL", DEFAULT_DATABASE_URL) or ""
    shards = _shards(get("STUDYBOT_SHARD_COUNT"), get("STUDYBOT_SHARD_IDS"))
    if not shards.runs_every_shard and not is_postgres_url(database_url):
        raise SettingsError(
            f"STUDYBOT_SHARD_IDS runs shards {', '.join(map(str, shards.ids or ()))} of "
            f"{shards.count} here, so other processes run the "
            "rest, and processes share their state only through PostgreSQL: set DATABASE_URL="
            "postgresql://user:password@host:5432/database (docs/scaling.md), or unset "
            "STUDYBOT_SHARD_IDS to run every shard in this process."
        )
    return Settings(
        discord_token=_token(get("DISCORD_TOKEN")),
        database_path=_database_path(database_url),
        postgres_url=database_url if is_postgres_url(database_url) else None,
        dev_guild_id=_snowflake("STUDYBOT_DEV_GUILD_ID", get("STUDYBOT_DEV_GUILD_ID")),
        log_level=_log_level(get("STUDYBOT_LOG_LEVEL", "INFO") or ""),
        # discord.py appends paths such as "/users/@me" to the base as it is.
        api_base_url=_url(
            "DISCORD_API_BASE_URL",
            get("DISCORD_API_BASE_URL", DEFAULT_API_BASE_URL),
            ("http", "https"),
        ).rstrip("/"),
        gateway_url=_url(
            "DISCORD_GATEWAY_URL", get("DISCORD_GATEWAY_URL", DEFAULT_GATEWAY_URL), ("ws", "wss")
        ),
        leetcode_graphql_url=_url(
            "LEETCODE_GRAPHQL_URL",
            get("LEETCODE_GRAPHQL_URL", DEFAULT_LEETCODE_GRAPHQL_URL),
            ("http", "https"),
        ),
        commands_per_minute=_count(
            "STUDYBOT_COMMANDS_PER_MINUTE", get("STUDYBOT_COMMANDS_PER_MINUTE"), 10, 1, 600
        ),
        retention_days=_count(
            "STUDYBOT_RETENTION_DAYS", get("STUDYBOT_RETENTION_DAYS"), 90, 1, 3650
        ),
        backup_dir=None
        if get("STUDYBOT_BACKUP_DIR") is None
        else Path(get("STUDYBOT_BACKUP_DIR") or ""),
        backup_keep=_count("STUDYBOT_BACKUP_KEEP", get("STUDYBOT_BACKUP_KEEP"), 7, 0, 365),
        allowed_servers=_server_list("STUDYBOT_ALLOWED_SERVERS", get("STUDYBOT_ALLOWED_SERVERS")),
        slack_bot_token=_slack_token("SLACK_BOT_TOKEN", get("SLACK_BOT_TOKEN"), "xoxb-"),
        slack_app_token=_slack_token("SLACK_APP_TOKEN", get("SLACK_APP_TOKEN"), "xapp-"),
        slack_api_base_url=_url(
            "SLACK_API_BASE_URL",
            get("SLACK_API_BASE_URL", DEFAULT_SLACK_API_BASE_URL),
            ("http", "https"),
        ).rstrip("/")
        + "/",
        shards=shards,
    )


def _shards(count: str | None, ids: str | None) -> ShardPlan:
    if count is None:
        if ids is not None:
            raise SettingsError(
                "STUDYBOT_SHARD_IDS needs STUDYBOT_SHARD_COUNT, the number of shards across "
                "all processes (such as 4), or leave both unset to use Discord's recommended "
                "count in one process."
            )
        return ShardPlan()
    total = _count("STUDYBOT_SHARD_COUNT", count, 1, 1, 4096)
    if ids is None:
        return ShardPlan(total)
    try:
        return ShardPlan(total, parse_shard_ids(ids, total))
    except ValueError as exc:
        raise SettingsError(
            f"STUDYBOT_SHARD_IDS is {ids!r}: {exc}; accepted: shard numbers below "
            f"STUDYBOT_SHARD_COUNT ({total}), separated by commas or as ranges, such as 0,1 or "
            "0-3."
        ) from None


def _slack_token(name: str, value: str | None, prefix: str) -> str | None:
    if value is None:
        return None
    if re.search(r"\s", value) or not value.startswith(prefix):
        raise SettingsError(
            f"{name} must be the token Slack shows, starting with {prefix} and without spaces "
            "(the value is not shown, in case it is a real token)."
        )
    return value


def _token(value: str | None) -> str | None:
    if value is not None and re.search(r"\s", value):
        raise SettingsError(
            "DISCORD_TOKEN contains spaces or line breaks; paste the bot token exactly as "
            "Discord shows it, on one line, without 'Bot ' in front."
        )
    return value


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def _database_path(url: str) -> Path | None:
    if is_postgres_url(url):
        if len(url.split("://", 1)[1]) == 0:
            raise SettingsError(
                "DATABASE_URL is postgresql:// with no server; accepted: "
                "postgresql://user:password@host:5432/database"
            )
        return None
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        shown = server_of(url) if "@" in url else url
        raise SettingsError(
            f"DATABASE_URL is {shown!r}; accepted: sqlite:///relative/path.db, "
            "sqlite:////absolute/path.db or postgresql://user:password@host:5432/database"
        )
    return Path(url[len(prefix) :])


def _snowflake(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 0 < int(value) < 2**64:
        raise SettingsError(
            f"{name} is {value!r}; accepted: a server id (a number such as 123456789012345678; "
            "in Discord, turn on Developer Mode and use 'Copy Server ID')."
        )
    return int(value)


def _server_list(name: str, value: str | None) -> frozenset[int] | None:
    if value is None:
        return None
    ids: set[int] = set()
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue  # "1,2," is a harmless slip
        if not item.isdigit() or not 0 < int(item) < 2**64:
            raise SettingsError(
                f"{name} has {item!r}; accepted: server ids separated by commas, such as "
                "123456789012345678,234567890123456789 (in Discord, turn on Developer Mode and "
                "use 'Copy Server ID')."
            )
        ids.add(int(item))
    if not ids:
        raise SettingsError(
            f"{name} is set but lists no server; accepted: server ids separated by commas, or "
            "leave it unset to allow any server."
        )
    return frozenset(ids)


def _count(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise SettingsError(f"{name} is {value!r}; accepted: a whole number from {low} to {high}.")
    return int(value)


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"STUDYBOT_LOG_LEVEL is {value!r}; accepted: {', '.join(LOG_LEVELS)}.")
    return level


def _url(name: str, value: str | None, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value or "")
    if parts.scheme not in schemes or not parts.netloc:
        accepted = " or ".join(f"{scheme}://host/path" for scheme in schemes)
        raise SettingsError(f"{name} is {value!r}; accepted: a URL like {accepted}.")
    return value or ""
