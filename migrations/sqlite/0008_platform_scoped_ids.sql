-- Platform-scoped ids, so one database can hold Discord servers and Slack workspaces.
-- A community is 'discord:<guild id>' (later 'slack:<team id>'); users, channels and messages
-- are text as the platform gives them (a Slack ts is not a number). `guilds` becomes
-- `communities` and `guild_curricula` becomes `community_curricula`.
--
-- SQLite cannot change a column's type, so every table with an id is rebuilt: create the new
-- table, copy, drop the old one, rename. The runner turns foreign keys off around this file
-- (dropping a parent with them on would cascade-delete its children) and runs
-- PRAGMA foreign_key_check before it commits. New tables that keep their name are built as
-- new_<name> and renamed once the old one is gone, so no foreign key is rewritten to point at
-- a table about to be dropped. Every row is copied; no value but the ids changes.

CREATE TABLE communities (
    community_id      TEXT    PRIMARY KEY
                      CHECK (community_id GLOB 'discord:?*' OR community_id GLOB 'slack:?*'),
    channel_id        TEXT,
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
    updated_at        TEXT    NOT NULL,
    difficulty_pattern TEXT   NOT NULL DEFAULT 'EEMMMHX'
        CHECK (length(difficulty_pattern) = 7 AND difficulty_pattern NOT GLOB '*[^EMHX]*'),
    problem_source    TEXT    NOT NULL DEFAULT 'bundled'
        CHECK (problem_source IN ('bundled', 'leetcode-daily'))
);
INSERT INTO communities
SELECT 'discord:' || guild_id, CAST(channel_id AS TEXT), timezone, post_time, leaderboard_day,
       leaderboard_time, paused, paused_until, created_at, updated_at, difficulty_pattern,
       problem_source
  FROM guilds;

CREATE TABLE new_members (
    community_id  TEXT    NOT NULL REFERENCES communities (community_id) ON DELETE CASCADE,
    user_id       TEXT    NOT NULL,
    display_name  TEXT    NOT NULL DEFAULT '',
    -- NULL means "use the community's time zone".
    timezone      TEXT,
    created_at    TEXT    NOT NULL,
    -- HH:MM in the member's own zone (NULL: no reminder).
    remind_at     TEXT    CHECK (remind_at IS NULL OR remind_at GLOB '[0-2][0-9]:[0-5][0-9]'),
    PRIMARY KEY (community_id, user_id)
) WITHOUT ROWID;
INSERT INTO new_members
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), display_name, timezone, created_at,
       remind_at
  FROM members;

CREATE TABLE new_checkins (
    checkin_id    INTEGER PRIMARY KEY,
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    local_date    TEXT    NOT NULL
                  CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 720),
    topic         TEXT    CHECK (topic IS NULL OR length(topic) <= 100),
    note          TEXT    CHECK (note IS NULL OR length(note) <= 1000),
    source        TEXT    NOT NULL DEFAULT 'command' CHECK (source IN ('command', 'button')),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
);
INSERT INTO new_checkins
SELECT checkin_id, 'discord:' || guild_id, CAST(user_id AS TEXT), created_at, local_date,
       minutes, topic, note, source
  FROM checkins;

-- At most one post per community, kind and period: the key is claimed before sending.
CREATE TABLE new_scheduled_posts (
    community_id  TEXT    NOT NULL REFERENCES communities (community_id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('daily', 'weekly')),
    period        TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'claimed'
                  CHECK (status IN ('claimed', 'sent', 'failed')),
    claimed_at    TEXT    NOT NULL,
    channel_id    TEXT,
    message_id    TEXT,
    sent_at       TEXT,
    error         TEXT,
    PRIMARY KEY (community_id, kind, period)
) WITHOUT ROWID;
INSERT INTO new_scheduled_posts
SELECT 'discord:' || guild_id, kind, period, status, claimed_at, CAST(channel_id AS TEXT),
       CAST(message_id AS TEXT), sent_at, error
  FROM scheduled_posts;

CREATE TABLE new_study_days (
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    local_date    TEXT    NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    sessions      INTEGER NOT NULL CHECK (sessions >= 1),
    opened_at     TEXT,
    zone          TEXT,
    PRIMARY KEY (community_id, user_id, local_date),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_study_days
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), local_date, minutes, sessions,
       opened_at, zone
  FROM study_days;

CREATE TABLE new_solves (
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    problem_id    TEXT    NOT NULL,
    local_date    TEXT    NOT NULL,
    difficulty    TEXT    NOT NULL CHECK (difficulty IN ('Easy', 'Medium', 'Hard')),
    points        INTEGER NOT NULL CHECK (points >= 0),
    verified      INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (community_id, user_id, problem_id),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_solves
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), problem_id, local_date, difficulty,
       points, verified, created_at
  FROM solves;

CREATE TABLE community_curricula (
    community_id  TEXT    PRIMARY KEY REFERENCES communities (community_id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    filename      TEXT    NOT NULL,
    imported_by   TEXT    NOT NULL,
    imported_at   TEXT    NOT NULL
);
INSERT INTO community_curricula
SELECT 'discord:' || guild_id, name, source, filename, CAST(imported_by AS TEXT), imported_at
  FROM guild_curricula;

CREATE TABLE new_member_period_totals (
    community_id     TEXT    NOT NULL,
    period           TEXT    NOT NULL,
    user_id          TEXT    NOT NULL,
    points           INTEGER NOT NULL DEFAULT 0,
    days             INTEGER NOT NULL DEFAULT 0,
    minutes          INTEGER NOT NULL DEFAULT 0,
    sessions         INTEGER NOT NULL DEFAULT 0,
    solves           INTEGER NOT NULL DEFAULT 0,
    verified_solves  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (community_id, period, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_member_period_totals
SELECT 'discord:' || guild_id, period, CAST(user_id AS TEXT), points, days, minutes, sessions,
       solves, verified_solves
  FROM member_period_totals;

CREATE TABLE new_reminders_sent (
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    local_date    TEXT    NOT NULL,
    via           TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (via IN ('pending', 'dm', 'channel', 'failed')),
    sent_at       TEXT    NOT NULL,
    PRIMARY KEY (community_id, user_id, local_date),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_reminders_sent
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), local_date, via, sent_at
  FROM reminders_sent;

CREATE TABLE new_away_periods (
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    first_day     TEXT    NOT NULL,
    last_day      TEXT    NOT NULL CHECK (last_day >= first_day),
    PRIMARY KEY (community_id, user_id, first_day),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_away_periods
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), first_day, last_day
  FROM away_periods;

CREATE TABLE new_buddy_optins (
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    joined_at     TEXT    NOT NULL,
    PRIMARY KEY (community_id, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_buddy_optins
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), joined_at
  FROM buddy_optins;

CREATE TABLE new_buddy_pairs (
    community_id  TEXT    NOT NULL,
    round         TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    grp           INTEGER NOT NULL,
    PRIMARY KEY (community_id, round, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_buddy_pairs
SELECT 'discord:' || guild_id, round, CAST(user_id AS TEXT), grp
  FROM buddy_pairs;

CREATE TABLE new_milestones (
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    milestone     TEXT    NOT NULL,
    reached_at    TEXT    NOT NULL,
    PRIMARY KEY (community_id, user_id, milestone),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_milestones
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), milestone, reached_at
  FROM milestones;

CREATE TABLE new_leetcode_links (
    community_id  TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    username      TEXT    NOT NULL,
    code          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    verified_at   TEXT,
    PRIMARY KEY (community_id, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id)
        ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO new_leetcode_links
SELECT 'discord:' || guild_id, CAST(user_id AS TEXT), username, code, created_at, verified_at
  FROM leetcode_links;

DROP TABLE checkins;
DROP TABLE study_days;
DROP TABLE solves;
DROP TABLE member_period_totals;
DROP TABLE reminders_sent;
DROP TABLE away_periods;
DROP TABLE buddy_optins;
DROP TABLE buddy_pairs;
DROP TABLE milestones;
DROP TABLE leetcode_links;
DROP TABLE scheduled_posts;
DROP TABLE guild_curricula;
DROP TABLE members;
DROP TABLE guilds;

ALTER TABLE new_members RENAME TO members;
ALTER TABLE new_checkins RENAME TO checkins;
ALTER TABLE new_scheduled_posts RENAME TO scheduled_posts;
ALTER TABLE new_study_days RENAME TO study_days;
ALTER TABLE new_solves RENAME TO solves;
ALTER TABLE new_member_period_totals RENAME TO member_period_totals;
ALTER TABLE new_reminders_sent RENAME TO reminders_sent;
ALTER TABLE new_away_periods RENAME TO away_periods;
ALTER TABLE new_buddy_optins RENAME TO buddy_optins;
ALTER TABLE new_buddy_pairs RENAME TO buddy_pairs;
ALTER TABLE new_milestones RENAME TO milestones;
ALTER TABLE new_leetcode_links RENAME TO leetcode_links;

CREATE INDEX checkins_by_member_day ON checkins (community_id, user_id, local_date);
CREATE INDEX checkins_by_community_day ON checkins (community_id, local_date);
CREATE INDEX solves_by_member_day ON solves (community_id, user_id, local_date);
-- Top-N and "how many are ahead of me" both walk this index from the top.
CREATE INDEX member_period_totals_ranking
    ON member_period_totals (community_id, period, points DESC, user_id);
