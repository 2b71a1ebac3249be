"""The SQL migrations, shipped inside the package as `bot.migrations` (bot/schema.py runs them)."""
