"""The SQL migrations, shipped inside the package as `bot.migrations` (see bot/migrations.py)."""
