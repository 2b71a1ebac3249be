"""`/study admin <subcommand>`: setting up the study group from Slack.

Admins are the workspace's owners and admins, looked up with `users.info` on every call, and
the organisers they name. Anyone else is refused before anything is read or changed.
"""

from __future__ import annotations

from bot.domain.schedule import DAILY, WEEKLY
from bot.messages import admin as admin_messages
from bot.services.catalog import Services
from bot.services.content import PROBLEM_SOURCES
from bot.slackbot.invocation import (
    Answer,
    DirectFile,
    Invocation,
    Refused,
    Subcommand,
    Usage,
    mentioned,
    said,
)
from bot.slackbot.render import line

WHO = "workspace owners and admins, and the organisers they name"
# Slack takes files far larger; past this an export comes zipped, then in parts.
EXPORT_FILE_LIMIT = 50 * 1024 * 1024
NOT_AN_ADMIN = (
    f"Only {WHO} can use `/study admin`. Ask one of them to run it, or to name you an organiser."
)


def usage(name: str) -> str:
    return f"admin {SUBCOMMANDS[name].usage}"


async def setup(services: Services, call: Invocation) -> Answer:
    if len(call.words) > 2:
        raise Usage(usage("setup"))
    times = [w for w in call.words if w[:1].isdigit()]  # zone names start with a letter
    zones = [w for w in call.words if w not in times]
    if len(times) > 1 or len(zones) > 1:
        raise Usage(usage("setup"), "Give at most one time (HH:MM) and one time zone.")
    if call.channel_id.startswith("D"):
        raise Refused("Run `/study admin setup` in the study channel, not in a direct message.")
    if not await call.workspace.bot_is_in(call.channel_id):
        raise Refused(
            "I am not in this channel yet: add me with `/invite @studybot` here (or open the "
            "channel's details, then Integrations, then Add apps), then run `/study admin "
            "setup` again."
        )
    if zones:
        zone = zones[0]
    else:
        profile = await call.workspace.profile(call.user_id)
        zone = (profile.zone if profile else None) or "UTC"
    settings = await services.communities.setup(
        call.community_id, call.channel_id, zone, times[0] if times else "09:00"
    )
    await services.schedules.rebuild(call.community_id)
    next_runs = services.schedules.next_runs(call.community_id)
    return Answer(admin_messages.set_up(settings, next_runs))


async def config(services: Services, call: Invocation) -> Answer:
    no_arguments(call, "config")
    community = call.community_id
    return Answer(
        admin_messages.config(
            await services.communities.get(community),
            services.schedules.next_runs(community),
            await services.poster.recent(community),
            await services.poster.failures(community),
        )
    )


async def post(services: Services, call: Invocation) -> Answer:
    words = [w.lower() for w in call.words]
    force = words[-1:] == ["force"]
    kinds = words[:-1] if force else words
    if len(kinds) > 1 or (kinds and kinds[0] not in ("daily", "leaderboard")):
        raise Usage(usage("post"), "Say daily or leaderboard, then force to post again.")
    kind = WEEKLY if kinds == ["leaderboard"] else DAILY
    outcome = await services.poster.post_now(call.community_id, kind, force=force)
    return Answer(admin_messages.post_outcome(outcome))


async def pause(services: Services, call: Invocation) -> Answer:
    if len(call.words) > 1:
        raise Usage(usage("pause"))
    until = call.words[0] if call.words else None
    return Answer(admin_messages.paused(await services.communities.pause(call.community_id, until)))


async def resume(services: Services, call: Invocation) -> Answer:
    no_arguments(call, "resume")
    await services.communities.resume(call.community_id)
    outcome = await services.poster.post_due(call.community_id)
    return Answer(admin_messages.resumed(outcome))


async def export(services: Services, call: Invocation) -> Answer:
    no_arguments(call, "export")
    export = await services.privacy.export_for_upload(call.community_id, EXPORT_FILE_LIMIT)
    note = line(admin_messages.export_note(export, "50 MiB"))
    count = len(export.files)
    shared = await services.privacy.export_shared_work(call.community_id)
    files = (
        *(
            DirectFile(part.filename, part.data, note if n == 1 else f"Part {n} of {count}.")
            for n, part in enumerate(export.files, start=1)
        ),
        DirectFile(shared.filename, shared.data, admin_messages.SHARED_WORK_NOTE),
    )
    return Answer(said("The export is on its way to your direct messages."), direct_files=files)


async def problems(services: Services, call: Invocation) -> Answer:
    sources = [w.lower() for w in call.words if w.lower() in PROBLEM_SOURCES]
    patterns = [w for w in call.words if w.lower() not in PROBLEM_SOURCES]
    if len(sources) > 1 or len(patterns) > 1:
        names = " or ".join(PROBLEM_SOURCES)
        raise Usage(usage("problems"), f"Give a source ({names}), a 7-letter pattern, or both.")
    community = call.community_id
    if sources:
        await services.content.set_problem_source(community, sources[0])
    pattern = (
        await services.content.set_problem_pattern(community, patterns[0])
        if patterns
        else await services.content.problem_pattern(community)
    )
    source = await services.content.problem_source(community)
    return Answer(admin_messages.problems_setting(source, pattern, changed=bool(patterns)))


async def curriculum(services: Services, call: Invocation) -> Answer:
    choice = [w.lower() for w in call.words]
    if choice == ["show"]:
        active = await services.content.active_curriculum(call.community_id)
        today = await services.content.today(call.community_id)
        return Answer(admin_messages.curriculum_shown(active, today))
    if choice == ["reset"]:
        changed = await services.content.reset_curriculum(call.community_id)
        return Answer(admin_messages.curriculum_reset(changed))
    raise Usage(
        usage("curriculum"),
        "To import one: `studybot curriculum import FILE --community` on the bot's machine.",
    )


async def organisers(services: Services, call: Invocation) -> Answer:
    community = call.community_id
    if not call.words:
        return Answer(
            admin_messages.organisers_listed(await services.communities.organisers(community))
        )
    if len(call.words) != 2 or call.words[0].lower() not in ("add", "remove"):
        raise Usage(usage("organisers"))
    user_id = mentioned(call.words[1], usage("organisers"))
    if call.words[0].lower() == "add":
        changed = await services.communities.name_organiser(community, user_id, call.user_id)
        return Answer(admin_messages.organiser_changed(user_id, True, changed))
    changed = await services.communities.drop_organiser(community, user_id)
    return Answer(admin_messages.organiser_changed(user_id, False, changed))


def no_arguments(call: Invocation, name: str) -> None:
    if call.words:
        raise Usage(usage(name))


SUBCOMMANDS: dict[str, Subcommand] = {
    sub.name: sub
    for sub in (
        Subcommand(
            "setup", "setup [HH:MM] [ZONE]", "Make this channel the study channel", setup, True
        ),
        Subcommand(
            "config", "config", "Settings, next runs, last posts and failures", config, True
        ),
        Subcommand(
            "post", "post [daily|leaderboard] [force]", "Post now (once per period)", post, True
        ),
        Subcommand("pause", "pause [YYYY-MM-DD]", "Pause the daily posts", pause, True),
        Subcommand("resume", "resume", "Resume the daily posts", resume, True),
        Subcommand("export", "export", "Every check-in as a CSV, by direct message", export, True),
        Subcommand(
            "problems",
            "problems [bundled|leetcode-daily] [PATTERN]",
            "Where problems come from, and the weekly pattern",
            problems,
            True,
        ),
        Subcommand(
            "curriculum",
            "curriculum show|reset",
            "The curriculum this workspace follows",
            curriculum,
            True,
        ),
        Subcommand(
            "organisers",
            "organisers [add|remove @member]",
            "Members who may use the admin subcommands",
            organisers,
            True,
        ),
    )
}


async def run_admin(services: Services, call: Invocation) -> Answer:
    """`/study admin …`: the caller's rights first, then the subcommand."""
    allowed = await call.workspace.is_admin(
        call.user_id
    ) or await services.communities.is_organiser(call.community_id, call.user_id)
    if not allowed:
        raise Refused(NOT_AN_ADMIN)
    name = call.words[0].lower() if call.words else ""
    sub = SUBCOMMANDS.get(name)
    if sub is None:
        names = ", ".join(SUBCOMMANDS)
        raise Usage("admin SUBCOMMAND", f"The admin subcommands are: {names}.")
    return await sub.handler(
        services,
        Invocation(
            call.community_id,
            call.user_id,
            call.name,
            call.channel_id,
            call.words[1:],
            call.workspace,
        ),
    )
