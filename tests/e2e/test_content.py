"""Study content end to end: /today, /problem, /solved and curriculum imports."""

from __future__ import annotations

from tests.content_samples import GOOD_CURRICULUM
from tests.e2e.conftest import LAUNCHER, StartBot
from tests.fakediscord import FakeFile, FakeMember

SATURDAY_MORNING = "2026-11-21T10:00:00+00:00"
SUNDAY_MORNING = "2026-11-22T10:00:00+00:00"


async def test_today_problem_and_solved(start_bot: StartBot, alice: FakeMember) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY_MORNING)
    today = await alice.slash("today")
    assert today.ephemeral
    assert "Day 1: " in today.text
    assert "No daily post yet" in today.text
    assert "Resources" in today.text
    assert "Reflect" in today.text

    problem = await alice.slash("problem")
    assert problem.ephemeral
    assert problem.text.startswith("Problem: ")
    fields = {f["name"]: f["value"] for f in problem.embeds[0]["fields"]}
    assert fields["Difficulty"] == "Hard"  # Saturday
    assert fields["Hint"].startswith("||")
    assert fields["Hint"].endswith("||")
    assert fields["Link"].startswith("https://leetcode.com/problems/")

    solved = await alice.slash("solved")
    assert not solved.ephemeral
    assert "+30 points" in solved.text
    again = await alice.slash("solved")
    assert again.ephemeral
    assert "already marked" in again.text
    stats = await alice.slash("stats", period="week")
    assert "Problems solved\n1" in stats.text


async def test_sunday_brings_an_ml_implementation_problem(
    start_bot: StartBot, alice: FakeMember
) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SUNDAY_MORNING)
    problem = await alice.slash("problem")
    assert problem.text.startswith("ML problem: ")
    assert "Example" in problem.text
    assert "Hints" in problem.text


async def test_an_organiser_imports_shows_and_resets_a_curriculum(
    start_bot: StartBot, alice: FakeMember, organiser: FakeMember
) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY_MORNING)
    broken = GOOD_CURRICULUM.replace('title = "Lists"', 'titel = "Lists"')
    refused = await organiser.slash(
        "admin", "curriculum", "import", file=FakeFile("plan.toml", broken.encode())
    )
    final = await refused.final()
    assert "was not imported" in final.text
    assert "days[0] (basics-01): titel: unknown field" in final.text
    assert "ML engineer" in (await organiser.slash("admin", "curriculum", "show")).text

    imported = await organiser.slash(
        "admin", "curriculum", "import", file=FakeFile("plan.toml", GOOD_CURRICULUM.encode())
    )
    assert "Imported Mini plan: 2 days in 1 modules" in (await imported.final()).text
    shown = await organiser.slash("admin", "curriculum", "show")
    assert "imported from plan.toml" in shown.text
    assert "Day 1: Lists" in (await alice.slash("today")).text

    reset = await organiser.slash("admin", "curriculum", "reset")
    assert "Back to the bundled curriculum" in reset.text
    assert "Lists" not in (await alice.slash("today")).text


async def test_members_without_manage_server_are_refused_even_if_the_command_is_shown(
    start_bot: StartBot, alice: FakeMember
) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY_MORNING)
    refused = await alice.slash("admin", "curriculum", "reset", unchecked=True)
    assert refused.ephemeral
    assert refused.text == "You need the Manage Server permission for this."


async def test_an_organiser_sets_the_weekly_pattern(
    start_bot: StartBot, alice: FakeMember, organiser: FakeMember
) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY_MORNING)
    shown = await organiser.slash("admin", "problems")
    assert "weekly pattern is EEMMMHX" in shown.text
    assert "Sat Hard" in shown.text
    bad = await organiser.slash("admin", "problems", pattern="EEMMMHZ")
    assert bad.text.startswith("The weekly pattern needs 7 letters, Monday to Sunday")
    changed = await organiser.slash("admin", "problems", source="bundled", pattern="eeeeeex")
    assert "weekly pattern is now EEEEEEX" in changed.text
    problem = await alice.slash("problem")  # Saturday is now an Easy day
    fields = {f["name"]: f["value"] for f in problem.embeds[0]["fields"]}
    assert fields["Difficulty"] == "Easy"
