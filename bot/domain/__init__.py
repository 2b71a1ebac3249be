"""Pure rules: no I/O, no discord, no asyncio. Dates come in as arguments."""
