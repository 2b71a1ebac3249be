from pathlib import Path

import pytest

from bot.settings import (
    DEFAULT_API_BASE_URL,
    DEFAULT_GATEWAY_URL,
    SettingsError,
    load_settings,
    parse_dotenv,
)


def test_defaults_when_only_the_token_is_set() -> None:
    settings = load_settings({"DISCORD_TOKEN": "abc.def.ghi"}, dotenv_path=None)
    assert settings.discord_token == "abc.def.ghi"
    assert settings.database_path == Path("data/studybot.db")
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.gateway_url == DEFAULT_GATEWAY_URL
    assert settings.dev_guild_id is None
    assert settings.log_level == "INFO"


def test_missing_tokens_are_allowed_until_a_platform_is_required() -> None:
    settings = load_settings({}, dotenv_path=None)
    with pytest.raises(SettingsError, match="no chat platform is configured") as caught:
        settings.require_platform()
    assert "README" in str(caught.value)
    assert "discord.com/developers/applications" in str(caught.value)
    slack = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-2"}, dotenv_path=None
    )
    slack.require_platform()
    assert (slack.runs_slack, slack.runs_discord) == (True, False)
    assert slack.slack_api_base_url == "https://slack.com/api/"
    assert "xoxb-1" not in repr(slack)


def test_absolute_database_path_and_trailing_slash_on_api_base() -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "sqlite:////var/lib/studybot/bot.db",
            "DISCORD_API_BASE_URL": "http://127.0.0.1:8080/api/v10/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:8080/",
            "STUDYBOT_DEV_GUILD_ID": "123456789012345678",
            "STUDYBOT_LOG_LEVEL": "debug",
        },
        dotenv_path=None,
    )
    assert settings.database_path == Path("/var/lib/studybot/bot.db")
    assert settings.api_base_url == "http://127.0.0.1:8080/api/v10"
    assert settings.dev_guild_id == 123456789012345678
    assert settings.log_level == "DEBUG"


def test_a_postgresql_url_selects_postgresql_and_its_password_is_never_shown() -> None:
    url = "postgresql://studybot:s3cret@db.internal:5433/studybot"
    settings = load_settings({"DATABASE_URL": url}, dotenv_path=None)
    assert settings.postgres_url == url
    assert settings.database_path is None
    assert settings.database_shown == "db.internal:5433/studybot"
    assert "s3cret" not in repr(settings)


def test_a_refused_database_url_does_not_echo_a_password() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"DATABASE_URL": "mysql://root:hunter2@db/x"}, dotenv_path=None)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value", "accepted"),
    [
        ("DATABASE_URL", "mysql://localhost/db", "postgresql://user:password@host"),
        ("DATABASE_URL", "postgresql://", "postgresql://user:password@host"),
        ("DATABASE_URL", "sqlite:///", "sqlite:///"),
        ("STUDYBOT_DEV_GUILD_ID", "my-server", "server id"),
        ("STUDYBOT_DEV_GUILD_ID", "-5", "server id"),
        ("STUDYBOT_LOG_LEVEL", "loud", "DEBUG, INFO"),
        ("DISCORD_API_BASE_URL", "discord.com/api", "http://"),
        ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg", "ws://"),
        ("LEETCODE_GRAPHQL_URL", "ftp://leetcode.com", "http://"),
        ("DISCORD_TOKEN", "Bot abc def", "on one line"),
    ],
)
def test_bad_values_name_the_setting_and_what_is_accepted(
    name: str, value: str, accepted: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({name: value}, dotenv_path=None)
    message = str(caught.value)
    assert name in message
    assert accepted in message
    assert "\n" not in message


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# local settings\n"
        "export DISCORD_TOKEN='from-file'\n"
        'STUDYBOT_LOG_LEVEL="WARNING"\n'
        "DATABASE_URL=sqlite:///x.db  # trailing comment\n",
        encoding="utf-8",
    )
    settings = load_settings({"STUDYBOT_LOG_LEVEL": "ERROR"}, dotenv_path=dotenv)
    assert settings.discord_token == "from-file"
    assert settings.log_level == "ERROR"
    assert settings.database_path == Path("x.db")


def test_an_empty_environment_value_overrides_the_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=from-file\n", encoding="utf-8")
    assert load_settings({"DISCORD_TOKEN": ""}, dotenv_path=dotenv).discord_token is None


def test_malformed_dotenv_line_is_reported_with_its_number() -> None:
    with pytest.raises(SettingsError, match=r"\.env line 2"):
        parse_dotenv("A=1\nthis is not a setting\n")


@pytest.mark.parametrize(
    ("line", "why"),
    [("mfa.secret-token-value", "has no '='"), ("9BAD=mfa.secret-token-value", "letters, digits")],
)
def test_a_malformed_dotenv_line_is_named_but_never_echoed(line: str, why: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_dotenv(f"A=1\n{line}\n")
    message = str(caught.value)
    assert message.startswith(".env line 2")
    assert why in message
    assert "secret-token-value" not in message
    assert "\n" not in message


def test_the_token_is_not_in_the_repr_of_the_settings() -> None:
    settings = load_settings({"DISCORD_TOKEN": "abc.def.ghi"}, dotenv_path=None)
    assert "abc.def.ghi" not in repr(settings)
    assert "database_path" in repr(settings)


def test_allowed_servers_is_a_comma_separated_list_of_ids() -> None:
    assert load_settings({}, dotenv_path=None).allowed_servers is None
    settings = load_settings(
        {"STUDYBOT_ALLOWED_SERVERS": " 123456789012345678, 42 ,"}, dotenv_path=None
    )
    assert settings.allowed_servers == frozenset({123456789012345678, 42})


@pytest.mark.parametrize(
    ("value", "shown"), [("42,my-server", "'my-server'"), (" , ", "no server")]
)
def test_a_bad_allowed_servers_list_is_one_line_naming_the_setting(value: str, shown: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"STUDYBOT_ALLOWED_SERVERS": value}, dotenv_path=None)
    message = str(caught.value)
    assert message.startswith("STUDYBOT_ALLOWED_SERVERS")
    assert shown in message
    assert "\n" not in message
