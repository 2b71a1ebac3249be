-- Accountability: reminders, time away, study buddies and milestones.

-- The member's reminder time, HH:MM in their own zone (NULL: no reminder).
ALTER TABLE members ADD COLUMN remind_at TEXT
    CHECK (remind_at IS NULL OR remind_at GLOB '[0-2][0-9]:[0-5][0-9]');

-- At most one reminder per member and local day: claimed before it is sent.
CREATE TABLE reminders_sent (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,
    via         TEXT    NOT NULL DEFAULT 'pending' CHECK (via IN ('pending', 'dm', 'channel', 'failed')),
    sent_at     TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Time away, inclusive local dates. Kept after it ends: past away days still neither break
-- nor extend a streak.
CREATE TABLE away_periods (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    first_day   TEXT    NOT NULL,
    last_day    TEXT    NOT NULL CHECK (last_day >= first_day),
    PRIMARY KEY (guild_id, user_id, first_day),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE buddy_optins (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    joined_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- One row per member per round (an ISO week key); a group of three has three rows with the
-- same group number.
CREATE TABLE buddy_pairs (
    guild_id   INTEGER NOT NULL,
    round      TEXT    NOT NULL,
    user_id    INTEGER NOT NULL,
    grp        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, round, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE milestones (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    milestone   TEXT    NOT NULL,
    reached_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, milestone),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;
