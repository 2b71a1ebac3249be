"""The Discord adapter: the bot client, its command tree, and the glue to discord.py.

Only this package and `cogs/` may import discord.
"""
