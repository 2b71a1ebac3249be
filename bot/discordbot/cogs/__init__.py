"""Discord adapters only: parse an interaction, call one service, render the result."""
