-- LeetCode: a per-server problem source, the daily challenge cached once per date for every
-- server, linked accounts, and verified solves counted apart on the leaderboard.
ALTER TABLE guilds ADD COLUMN problem_source TEXT NOT NULL DEFAULT 'bundled'
    CHECK (problem_source IN ('bundled', 'leetcode-daily'));

-- LeetCode dates its daily challenge in UTC.
CREATE TABLE leetcode_daily (
    utc_date    TEXT PRIMARY KEY,
    slug        TEXT NOT NULL,
    title       TEXT NOT NULL,
    difficulty  TEXT NOT NULL CHECK (difficulty IN ('Easy', 'Medium', 'Hard')),
    url         TEXT NOT NULL,
    topics      TEXT NOT NULL,  -- tag names joined by ', '
    fetched_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE leetcode_links (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    username     TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    verified_at  TEXT,
    PRIMARY KEY (guild_id, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

ALTER TABLE member_period_totals ADD COLUMN verified_solves INTEGER NOT NULL DEFAULT 0;
