"""Platform-scoped ids: a community is 'discord:<guild id>' or 'slack:<team id>'.

Users, channels and messages are kept as the strings their platform gives. Two rules here keep
what members saw before ids became strings: seeds use the bare native id (so a server's problem
order and buddy pairs stay the same), and ids made of digits sort as numbers (so ties and groups
list in the order they always did).
"""

from __future__ import annotations


def community_key(platform: str, native_id: int | str) -> str:
    if not platform.isalpha() or not str(native_id):
        raise ValueError(f"not a platform and id: {platform!r}, {native_id!r}")
    return f"{platform}:{native_id}"


def platform_of(community_id: str) -> str:
    return community_id.partition(":")[0]


def native_id(community_id: str) -> str:
    """The platform's own id: '123' for 'discord:123'."""
    platform, separator, native = community_id.partition(":")
    if not separator or not platform.isalpha() or not native:
        raise ValueError(f"not a community id: {community_id!r}")
    return native


def id_order(platform_id: str) -> tuple[int, int, str]:
    """Sort key: digit ids by their value, then any other id by its text."""
    if platform_id.isascii() and platform_id.isdigit():
        return (0, int(platform_id), "")
    return (1, 0, platform_id)
