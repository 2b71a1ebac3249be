"""Use cases. They take plain ids and values, return dataclasses, and never import discord."""
