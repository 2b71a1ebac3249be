-- As migrations/sqlite/0005_accountability.sql: reminders, time away, buddies, milestones.
ALTER TABLE members ADD COLUMN remind_at TEXT
    CHECK (remind_at IS NULL OR remind_at ~ '^[0-2][0-9]:[0-5][0-9]$');

CREATE TABLE reminders_sent (
    guild_id    BIGINT  NOT NULL,
    user_id     BIGINT  NOT NULL,
    local_date  TEXT    NOT NULL,
    via         TEXT    NOT NULL DEFAULT 'pending' CHECK (via IN ('pending', 'dm', 'channel', 'failed')),
    sent_at     TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);

CREATE TABLE away_periods (
    guild_id    BIGINT  NOT NULL,
    user_id     BIGINT  NOT NULL,
    first_day   TEXT    NOT NULL,
    last_day    TEXT    NOT NULL CHECK (last_day >= first_day),
    PRIMARY KEY (guild_id, user_id, first_day),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);

CREATE TABLE buddy_optins (
    guild_id   BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    joined_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);

CREATE TABLE buddy_pairs (
    guild_id   BIGINT  NOT NULL,
    round      TEXT    NOT NULL,
    user_id    BIGINT  NOT NULL,
    grp        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, round, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);

CREATE TABLE milestones (
    guild_id    BIGINT  NOT NULL,
    user_id     BIGINT  NOT NULL,
    milestone   TEXT    NOT NULL,
    reached_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, milestone),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
