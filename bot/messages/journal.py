"""Reflection: /reflect's form and reply, and /journal (always private)."""

from __future__ import annotations

from bot.messages.model import Accent, Command, Field, Message, Said, Section
from bot.services.journal import Reflection
from bot.store.reflections import JournalEntry

REFLECT = Command(("reflect",))
REFLECT_TITLE = "Today's reflection"
ANSWER_LABEL = "Your answer (private)"


def reflection_saved(reflection: Reflection) -> Message:
    again = " It replaces the one you wrote earlier today." if reflection.replaced else ""
    return Message(
        content=(
            (f"Saved to your journal for {reflection.day:%a %d %b}.{again} Only you can see it.",),
        )
    )


def journal(entries: list[JournalEntry]) -> Message:
    if not entries:
        return Message(
            content=(("Your journal is empty. Answer today's question with ", REFLECT, "."),)
        )
    fields = tuple(
        Field(entry.local_date, ((Said(entry.question),), ("→ ", Said(entry.answer))))
        for entry in entries
    )
    section = Section(
        title=("Your journal",),
        fields=fields,
        footer=(f"Your last {len(entries)} reflections. Private to you.",),
        accent=Accent.STUDY,
    )
    return Message(sections=(section,), fallback="Your journal")
