"""Errors whose message is meant for the member who caused them."""


class UserError(Exception):
    """Bad input or a refused action: the message is one clear line for the member.

    Services raise it; the chat adapter shows the message as it is and logs nothing alarming.
    """
