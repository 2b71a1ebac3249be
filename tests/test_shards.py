"""Shard settings and the guild -> shard rule that decides which process serves a server."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.shards import ShardPlan, shard_of
from bot.settings import SettingsError, load_settings

POSTGRES = "postgresql://studybot:pw@127.0.0.1:5432/studybot"


def shards_of(**env: str) -> ShardPlan:
    return load_settings(env, dotenv_path=None).shards


def test_unset_means_one_process_with_discords_recommended_count() -> None:
    plan = shards_of()
    assert plan == ShardPlan(None, None)
    assert (plan.runs_every_shard, plan.runs_shard_zero) == (True, True)
    assert plan.serves_guild(1 << 40)


@pytest.mark.parametrize(
    ("ids", "expected"),
    [("0,1", (0, 1)), ("0-3", (0, 1, 2, 3)), ("2, 0-1", (0, 1, 2)), ("3", (3,)), ("1,1", (1,))],
)
def test_shard_ids_as_lists_and_ranges(ids: str, expected: tuple[int, ...]) -> None:
    plan = shards_of(STUDYBOT_SHARD_COUNT="4", STUDYBOT_SHARD_IDS=ids, DATABASE_URL=POSTGRES)
    assert plan == ShardPlan(4, expected)
    assert plan.runs_shard_zero == (0 in expected)


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"STUDYBOT_SHARD_IDS": "0"}, "needs STUDYBOT_SHARD_COUNT"),
        ({"STUDYBOT_SHARD_COUNT": "0"}, "from 1 to 4096"),
        ({"STUDYBOT_SHARD_COUNT": "four"}, "from 1 to 4096"),
        ({"STUDYBOT_SHARD_COUNT": "4", "STUDYBOT_SHARD_IDS": "4"}, "shard 4 does not exist"),
        ({"STUDYBOT_SHARD_COUNT": "4", "STUDYBOT_SHARD_IDS": "3-1"}, "runs backwards"),
        ({"STUDYBOT_SHARD_COUNT": "4", "STUDYBOT_SHARD_IDS": "a"}, "not a shard number"),
        ({"STUDYBOT_SHARD_COUNT": "4", "STUDYBOT_SHARD_IDS": " , "}, "no shard is listed"),
    ],
)
def test_bad_shard_settings_are_one_line_saying_what_is_accepted(
    env: dict[str, str], says: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        shards_of(DATABASE_URL=POSTGRES, **env)
    message = str(caught.value)
    assert says in message
    assert "\n" not in message
    assert message.startswith("STUDYBOT_SHARD")


def test_part_of_the_shards_on_sqlite_is_refused_since_processes_share_only_postgresql() -> None:
    with pytest.raises(SettingsError) as caught:
        shards_of(STUDYBOT_SHARD_COUNT="4", STUDYBOT_SHARD_IDS="0,1")
    message = str(caught.value)
    assert "shards 0, 1 of 4" in message
    assert "postgresql://" in message
    assert "\n" not in message
    # Every shard in this one process is fine on SQLite.
    assert shards_of(STUDYBOT_SHARD_COUNT="4", STUDYBOT_SHARD_IDS="0-3").runs_every_shard


@given(st.integers(min_value=1, max_value=2**63 - 1), st.integers(min_value=1, max_value=64))
def test_every_guild_is_served_by_exactly_one_process_of_a_split(guild: int, count: int) -> None:
    halves = [ShardPlan(count, tuple(i for i in range(count) if i % 2 == part)) for part in (0, 1)]
    assert sum(plan.serves_guild(guild) for plan in halves if plan.ids) == 1
    assert 0 <= shard_of(guild, count) < count


def test_the_shard_comes_from_the_timestamp_bits_of_the_id() -> None:
    # (guild_id >> 22) % shard_count: the low 22 bits (worker, process, increment) don't count.
    assert shard_of((53 << 22) | 0x3FFFFF, 16) == 53 % 16 == 5
    assert shard_of(53 << 22, 1) == 0
