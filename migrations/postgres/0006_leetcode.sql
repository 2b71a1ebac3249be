-- As migrations/sqlite/0006_leetcode.sql: a per-server problem source, LeetCode's daily
-- challenge cached per UTC date, linked accounts, and verified solves counted apart.
ALTER TABLE guilds ADD COLUMN problem_source TEXT NOT NULL DEFAULT 'bundled'
    CHECK (problem_source IN ('bundled', 'leetcode-daily'));

CREATE TABLE leetcode_daily (
    utc_date    TEXT PRIMARY KEY,
    slug        TEXT NOT NULL,
    title       TEXT NOT NULL,
    difficulty  TEXT NOT NULL CHECK (difficulty IN ('Easy', 'Medium', 'Hard')),
    url         TEXT NOT NULL,
    topics      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
);

CREATE TABLE leetcode_links (
    guild_id     BIGINT  NOT NULL,
    user_id      BIGINT  NOT NULL,
    username     TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    verified_at  TEXT,
    PRIMARY KEY (guild_id, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);

ALTER TABLE member_period_totals ADD COLUMN verified_solves INTEGER NOT NULL DEFAULT 0;
