"""The Discord adapter: the bot client, its command tree, and the glue to discord.py.

Only this package (with its cogs) may import discord, and only `bot/app.py` and
`bot/cli.py` import it.
"""
