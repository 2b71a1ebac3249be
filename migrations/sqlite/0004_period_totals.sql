-- Per-member totals for each leaderboard period, kept up to date in the same transaction as
-- every check-in and solve, so a leaderboard is an indexed top-N read instead of a GROUP BY
-- over every check-in. Periods follow the server's zone: 'week:2026-W47', 'month:2026-11',
-- 'all'. (No back-fill: no release had check-ins before this table.)
CREATE TABLE member_period_totals (
    guild_id  INTEGER NOT NULL,
    period    TEXT    NOT NULL,
    user_id   INTEGER NOT NULL,
    points    INTEGER NOT NULL DEFAULT 0,
    days      INTEGER NOT NULL DEFAULT 0,
    minutes   INTEGER NOT NULL DEFAULT 0,
    sessions  INTEGER NOT NULL DEFAULT 0,
    solves    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, period, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Top-N and "how many are ahead of me" both walk this index from the top.
CREATE INDEX member_period_totals_ranking
    ON member_period_totals (guild_id, period, points DESC, user_id);
