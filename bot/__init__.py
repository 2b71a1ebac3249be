"""studybot: a Discord study-group bot for people teaching themselves ML engineering."""

__version__ = "0.1.0"
