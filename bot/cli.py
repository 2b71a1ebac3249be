"""The `studybot` command: run, migrate, check, backup.

Exit codes: 0 fine, 1 something failed while working (database, Discord), 2 a setting or the
command line is wrong (fix the configuration and try again).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import discord

from bot import __version__, app
from bot.clock import Clock, SystemClock
from bot.content import bundled_bank, bundled_curriculum, describe_file, summary
from bot.content.loader import ContentError
from bot.curriculum_cli import ImportRefused, import_curriculum
from bot.discordbot.client import point_discord_at
from bot.discordbot.sync import command_payload
from bot.instance_lock import (
    AlreadyRunning,
    FolderNotWritable,
    check_folder,
    describe_holder,
    held,
    read_holder,
)
from bot.logs import configure_logging, new_error_id
from bot.settings import Settings, SettingsError, is_postgres_url, load_settings
from bot.slackbot.manifest import manifest_json
from bot.store.connection import connect, connect_postgres
from bot.store.copy import CopyRefused, copy_to_postgres
from bot.store.database import Database, DatabaseError, backup
from bot.store.migrations import MigrationError, applied_checksums, bundled_migrations, pending
from bot.store.sql import server_of

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
log = logging.getLogger("studybot")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="studybot", description="A Discord study-group bot for ML engineering."
    )
    root.add_argument("--version", action="version", version=f"studybot {__version__}")
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="connect to Discord and run the bot (migrates first)")
    run.add_argument(
        "--resync",
        action="store_true",
        help="send the slash commands to Discord even if they did not change",
    )
    sub.add_parser("migrate", help="apply pending database migrations and print the version")
    sub.add_parser("check", help="validate settings, database and commands without connecting")
    content = sub.add_parser("content", help="work with study content")
    content_sub = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    content_check = content_sub.add_parser(
        "check", help="validate the bundled content, or one curriculum or problem file"
    )
    content_check.add_argument("file", type=Path, nargs="?", help="a .toml file to validate")
    curriculum = sub.add_parser("curriculum", help="a community's curriculum")
    curriculum_sub = curriculum.add_subparsers(
        dest="curriculum_command", required=True, metavar="ACTION"
    )
    curriculum_import = curriculum_sub.add_parser(
        "import", help="validate a curriculum file and use it in one community"
    )
    curriculum_import.add_argument("file", type=Path, help="a .toml curriculum (docs/content.md)")
    curriculum_import.add_argument(
        "--community",
        required=True,
        help="discord:<server id> or slack:<team id>, as /admin config shows it",
    )
    slack = sub.add_parser("slack", help="the Slack app")
    slack_sub = slack.add_subparsers(dest="slack_command", required=True, metavar="ACTION")
    slack_sub.add_parser("manifest", help="print the app manifest (JSON) to create the Slack app")
    db = sub.add_parser("db", help="the database")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_copy = db_sub.add_parser(
        "copy", help="copy the SQLite database into an empty PostgreSQL one, checked row for row"
    )
    db_copy.add_argument(
        "--to", required=True, metavar="URL", help="postgresql://user:password@host:5432/db"
    )
    backup_cmd = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup_cmd.add_argument("path", type=Path, help="where to write the copy, e.g. backups/a.db")
    return root


def main(
    argv: Sequence[str] | None = None,
    extra_cogs: Sequence[app.ExtraCog] = (),
    clock: Clock | None = None,
    hooks: Sequence[app.AppHook] = (),
) -> int:
    """The console script. Tests may add cogs, hooks or a clock; `studybot` itself passes none."""
    args = parser().parse_args(argv)
    if args.command == "content":
        return content_check(args.file)
    if args.command == "slack":
        print(manifest_json())
        return EXIT_OK
    try:
        settings = load_settings()
    except SettingsError as exc:
        return fail(str(exc), EXIT_CONFIG)
    secrets = [settings.discord_token, settings.slack_bot_token, settings.slack_app_token]
    configure_logging(settings.log_level, [secret for secret in secrets if secret])
    try:
        if args.command == "run":
            return run(
                settings,
                clock or SystemClock(),
                extra_cogs=extra_cogs,
                hooks=hooks,
                force_sync=args.resync,
            )
        if args.command == "migrate":
            with single_instance(settings):
                return asyncio.run(migrate_command(settings))
        if args.command == "check":
            return asyncio.run(check_command(settings))
        if args.command == "curriculum":
            return curriculum_import_command(settings, args.file, args.community)
        if args.command == "db":
            return db_copy_command(settings, args.to)
        if settings.database_path is None:
            return fail(
                "studybot backup copies a SQLite file; on PostgreSQL, back up with pg_dump "
                "(docs/scaling.md, 'Backups')",
                EXIT_CONFIG,
            )
        return backup_command(settings.database_path, args.path)
    except SettingsError as exc:
        return fail(str(exc), EXIT_CONFIG)
    except (MigrationError, DatabaseError, FolderNotWritable, AlreadyRunning) as exc:
        return fail(str(exc), EXIT_FAILED)
    except Exception as exc:
        # A bug, not a setting: the traceback goes to the log (stderr, or the journal under
        # systemd) under an id, and the last line says what happened in words.
        error_id = new_error_id()
        log.error("error id %s: studybot %s stopped", error_id, args.command, exc_info=exc)
        return fail(
            f"{args.command} stopped on an unexpected error ({type(exc).__name__}, error id "
            f"{error_id}); the log above has the details. Please report it with that log.",
            EXIT_FAILED,
        )


def curriculum_import_command(settings: Settings, path: Path, community_id: str) -> int:
    try:
        print(asyncio.run(import_curriculum(settings, path, community_id)))
    except ImportRefused as refused:
        return fail(str(refused), EXIT_FAILED)
    return EXIT_OK


def fail(message: str, code: int) -> int:
    print(f"studybot: {message}", file=sys.stderr)
    return code


def run(
    settings: Settings,
    clock: Clock,
    *,
    extra_cogs: Sequence[app.ExtraCog],
    hooks: Sequence[app.AppHook],
    force_sync: bool,
) -> int:
    settings.require_platform()
    token = settings.discord_token
    # Before connecting: a second bot on the same file would send every post twice, and an
    # unusable folder is better said now than after logging in.
    with single_instance(settings):
        if settings.runs_discord:
            point_discord_at(settings)
        try:
            asyncio.run(
                app.run(
                    settings,
                    clock,
                    token,
                    force_sync=force_sync,
                    extra_cogs=extra_cogs,
                    hooks=hooks,
                )
            )
        except discord.LoginFailure:
            return fail(
                "Discord rejected DISCORD_TOKEN (401 Unauthorized). Reset the token in the "
                "Developer Portal (Bot > Reset Token) and update your .env or environment.",
                EXIT_CONFIG,
            )
        except discord.PrivilegedIntentsRequired:
            return fail(
                "Discord refused the gateway intents. studybot asks for no privileged intent, "
                "so this token is probably another application's: use the token of the "
                "application you created for studybot (Developer Portal, Bot > Reset Token).",
                EXIT_CONFIG,
            )
        except (aiohttp.ClientError, discord.GatewayNotFound, TimeoutError) as exc:
            return fail(
                f"cannot reach Discord at {settings.api_base_url} ({_reason(exc)}). Check this "
                "machine's internet connection (and DISCORD_API_BASE_URL, if you set it), then "
                "start studybot again.",
                EXIT_FAILED,
            )
        except discord.DiscordServerError as exc:
            return fail(
                f"Discord answered {exc.status} while logging in; Discord is having trouble. "
                "Start studybot again in a few minutes.",
                EXIT_FAILED,
            )
    return EXIT_OK


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


@contextlib.contextmanager
def single_instance(settings: Settings) -> Iterator[None]:
    """One bot per SQLite file (a second would send every post twice); on PostgreSQL the
    database is shared, so no lock file."""
    if settings.database_path is None:
        yield
        return
    with held(settings.database_path, SystemClock().now()):
        yield


async def _check_postgres(url: str) -> list[str]:
    shown = server_of(url)
    try:
        conn = await connect_postgres(url, read_only=True)
    except Exception as exc:  # psycopg's errors, and a malformed URL's
        return [f"cannot connect to PostgreSQL at {shown}: {exc}"]
    try:
        migrations = bundled_migrations(conn.dialect.name)
        todo = pending(migrations, await applied_checksums(conn))
    except MigrationError as exc:
        return [str(exc)]
    except Exception as exc:
        return [f"cannot read the database at {shown}: {exc}"]
    finally:
        await conn.close()
    newest = migrations[-1].version if migrations else 0
    print(
        f"database: PostgreSQL at {shown}, {len(todo)} migration(s) pending, "
        f"target schema version {newest}"
    )
    return []


def db_copy_command(settings: Settings, url: str) -> int:
    if not is_postgres_url(url):
        return fail(
            "--to must be a PostgreSQL URL, such as postgresql://studybot:password@localhost/"
            "studybot",
            EXIT_CONFIG,
        )
    if settings.database_path is None:
        return fail(
            "DATABASE_URL already names PostgreSQL; db copy reads the SQLite file it names",
            EXIT_CONFIG,
        )
    with single_instance(settings):  # the bot must not write to the file meanwhile
        try:
            copied = asyncio.run(copy_to_postgres(settings.database_path, url))
        except CopyRefused as refused:
            return fail(str(refused), EXIT_FAILED)
    for table in copied:
        print(f"copied {table.name}: {table.rows} rows")
    rows = sum(table.rows for table in copied)
    print(
        f"{len(copied)} tables, {rows} rows copied from {settings.database_path} to PostgreSQL at "
        f"{server_of(url)}; every table's row count and checksum match.\n"
        f"Next: set DATABASE_URL to that URL (in .env or the service's environment) and start "
        f"the bot again. The SQLite file is left as it was: keep it as a backup."
    )
    return EXIT_OK


def backup_command(source: Path, destination: Path) -> int:
    try:
        asyncio.run(backup(source, destination))
    except (OSError, sqlite3.Error) as exc:
        return fail(
            f"the backup of {source} to {destination} failed ({_reason(exc)}); give a "
            "destination in a folder this user can write to, such as backups/studybot.db",
            EXIT_FAILED,
        )
    print(f"backed up {source} to {destination}")
    return EXIT_OK


def content_check(path: Path | None) -> int:
    """Validate content and print one summary line; every problem on its own line first."""
    try:
        if path is None:
            print(summary(bundled_curriculum(), bundled_bank()))
        else:
            print(describe_file(path.read_text(encoding="utf-8"), str(path)))
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {path}: {exc}", EXIT_FAILED)
    return EXIT_OK


async def migrate_command(settings: Settings) -> int:
    db = await app.connect_database(settings, readers=1)
    try:
        for migration in db.migration.applied:
            print(f"applied {migration.version:04d}_{migration.name}.sql")
        print(f"{settings.database_shown}: schema version {db.schema_version}")
    finally:
        await db.close()
    return EXIT_OK


def shards_line(settings: Settings) -> str:
    plan = settings.shards
    if plan.count is None:
        return "every shard in this process, at Discord's recommended count"
    if plan.ids is None or plan.runs_every_shard:
        return f"all {plan.count} in this process"
    listed = ", ".join(map(str, plan.ids))
    zero = "" if plan.runs_shard_zero else "; Slack and the work for everyone run with shard 0"
    return f"{listed} of {plan.count} in this process, the rest in others{zero}"


async def check_command(settings: Settings) -> int:
    problems: list[str] = []
    print(f"studybot {__version__}")
    try:
        settings.require_platform()
    except SettingsError as exc:
        problems.append(str(exc))
    if settings.runs_discord:
        print("Discord: DISCORD_TOKEN set")
    else:
        print("Discord: not configured (DISCORD_TOKEN is not set)")
    print(f"Discord API: {settings.api_base_url}")
    print(f"Discord gateway: {settings.gateway_url}")
    print(f"Discord shards: {shards_line(settings)}")
    if settings.runs_slack:
        print("Slack: SLACK_BOT_TOKEN and SLACK_APP_TOKEN set (Socket Mode)")
    else:
        print("Slack: not configured (SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not both set)")
    print(f"Slack API: {settings.slack_api_base_url}")
    print(f"LeetCode API: {settings.leetcode_graphql_url}")
    print(f"log level: {settings.log_level}")
    if settings.postgres_url is not None:
        problems.extend(await _check_postgres(settings.postgres_url))
    else:
        assert settings.database_path is not None  # settings give one or the other
        problems.extend(await _check_database(settings.database_path))
    try:
        print(f"content: {summary(bundled_curriculum(), bundled_bank())}")
    except ContentError as exc:
        problems.extend(str(p) for p in exc.problems)
    if settings.runs_discord or not settings.runs_slack:
        scope = (
            f"server {settings.dev_guild_id}" if settings.dev_guild_id else "every server (global)"
        )
        payload = await _command_payload(settings)
        names = ", ".join(f"/{command['name']}" for command in payload)
        print(f"commands to sync to {scope}: {names}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print("ok" if not problems else f"{len(problems)} problem(s) found")
    return EXIT_OK if not problems else EXIT_FAILED


async def _command_payload(settings: Settings) -> list[dict[str, Any]]:
    """Build the bot's commands as `run` would, on a scratch database, without connecting."""
    with tempfile.TemporaryDirectory() as scratch:
        database = await Database.open(Path(scratch) / "check.db", readers=1)
        built = app.build_app(settings, SystemClock(), database)
        try:
            assert built.discord is not None  # built for Discord when no Slack token is set
            await built.discord.add_cogs()
            return command_payload(built.discord.tree, None)
        finally:
            await built.close()


async def _check_database(path: Path) -> list[str]:
    try:
        migrations = bundled_migrations()
    except MigrationError as exc:
        return [str(exc)]
    newest = migrations[-1].version if migrations else 0
    if problem := check_folder(path):
        return [problem]
    if holder := read_holder(path):
        print(f"database: in use by a running {describe_holder(holder)}")
    if not path.is_file():
        print(f"database: {path} does not exist yet; it will be created at schema version {newest}")
        return []
    try:
        conn = await connect(path, read_only=True)
    except sqlite3.Error as exc:
        return [f"cannot open the database {path}: {exc}"]
    try:
        todo = pending(migrations, await applied_checksums(conn))
    except MigrationError as exc:
        return [str(exc)]
    except sqlite3.Error as exc:
        return [f"cannot read the database {path}: {exc}"]
    finally:
        await conn.close()
    print(f"database: {path}, {len(todo)} migration(s) pending, target schema version {newest}")
    return []
