"""Shared work and its votes through the service, on both engines."""

import pytest

from bot.errors import UserError
from bot.messages.work import share_post
from bot.services.sharing import SharingService
from bot.store.database import Database
from bot.store.shared_work import SharedItem
from tests.conftest import MovableClock
from tests.fake_chat import plain

GUILD = "discord:1"


async def test_the_weeks_top_five_by_votes_ties_to_the_earlier_and_votes_toggle(
    database: Database, clock: MovableClock
) -> None:
    sharing = SharingService(database, clock)
    items = []
    for n in range(7):
        items.append(
            await sharing.share(
                GUILD, f"a{n}", f"author {n}", f"work {n}", f"https://e.org/{n}", None
            )
        )
        clock.move(minutes=1)
    votes = {1: 2, 2: 2, 4: 1, 6: 3}  # item index -> voters
    for index, count in votes.items():
        for voter in range(count):
            vote = await sharing.vote(GUILD, items[index].item_id, f"v{voter}", f"voter {voter}")
            assert vote.added
    top = await sharing.top_of_week(GUILD, items[0].week)
    assert [item.title for item in top] == ["work 6", "work 1", "work 2", "work 4", "work 0"]
    assert [item.votes for item in top] == [3, 2, 2, 1, 0]

    taken_back = await sharing.vote(GUILD, items[6].item_id, "v0", "voter 0")
    assert (taken_back.added, taken_back.item.votes) == (False, 2)
    with pytest.raises(UserError) as own:
        await sharing.vote(GUILD, items[6].item_id, "a6", "author 6")
    assert own.value.code == "own_share"
    with pytest.raises(UserError) as elsewhere:
        await sharing.vote("discord:2", items[6].item_id, "v9", "voter 9")
    assert elsewhere.value.code == "share_gone"
    portfolio = await sharing.portfolio(GUILD, "a6")
    assert [(i.title, i.votes) for i in portfolio] == [("work 6", 2)]


def test_the_share_post_says_what_was_shared_in_plain_words() -> None:
    def title(kind: str) -> str:
        item = SharedItem(1, GUILD, "2", "T", "https://a.org", kind, "2026", "2026-W48", 3, "Ada")
        post = share_post(item)
        return plain(post.sections[0].title) + " | " + post.buttons[0].label

    assert title("repo") == "Ada shared a repository | Useful (3)"
    assert title("other") == "Ada shared their work | Useful (3)"
    assert title("notes") == "Ada shared their notes | Useful (3)"
