-- The first schema: servers, their members, check-ins, and the ledger of scheduled posts.
-- Instants are stored as UTC ISO-8601 text ("2026-11-21T09:00:00+00:00"); local study days
-- as "YYYY-MM-DD" in the member's zone at the moment of the check-in.

CREATE TABLE guilds (
    guild_id          INTEGER PRIMARY KEY,
    channel_id        INTEGER,
    timezone          TEXT    NOT NULL DEFAULT 'UTC',
    post_time         TEXT    NOT NULL DEFAULT '09:00'
                      CHECK (post_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    -- 0 = Monday ... 6 = Sunday, as in Python's date.weekday().
    leaderboard_day   INTEGER NOT NULL DEFAULT 0 CHECK (leaderboard_day BETWEEN 0 AND 6),
    -- NULL means "the same as post_time".
    leaderboard_time  TEXT    CHECK (leaderboard_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    paused            INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    paused_until      TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);

CREATE TABLE members (
    guild_id      INTEGER NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    display_name  TEXT    NOT NULL DEFAULT '',
    -- NULL means "use the server's time zone".
    timezone      TEXT,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

CREATE TABLE checkins (
    checkin_id  INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    local_date  TEXT    NOT NULL CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 720),
    topic       TEXT    CHECK (topic IS NULL OR length(topic) <= 100),
    note        TEXT    CHECK (note IS NULL OR length(note) <= 1000),
    source      TEXT    NOT NULL DEFAULT 'command' CHECK (source IN ('command', 'button')),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX checkins_by_member_day ON checkins (guild_id, user_id, local_date);
CREATE INDEX checkins_by_guild_day ON checkins (guild_id, local_date);

-- At most one post per server, kind and period: the key is claimed before sending.
CREATE TABLE scheduled_posts (
    guild_id    INTEGER NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('daily', 'weekly')),
    period      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed')),
    claimed_at  TEXT    NOT NULL,
    channel_id  INTEGER,
    message_id  INTEGER,
    sent_at     TEXT,
    error       TEXT,
    PRIMARY KEY (guild_id, kind, period)
) WITHOUT ROWID;

-- Small facts the bot keeps about itself, such as the hash of the last command sync.
CREATE TABLE bot_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
