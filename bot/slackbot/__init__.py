"""The Slack adapter: Socket Mode, the /study command, Block Kit, and the chat port."""
