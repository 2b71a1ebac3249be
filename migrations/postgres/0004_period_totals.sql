-- As migrations/sqlite/0004_period_totals.sql: per-member totals for each leaderboard period.
CREATE TABLE member_period_totals (
    guild_id  BIGINT  NOT NULL,
    period    TEXT    NOT NULL,
    user_id   BIGINT  NOT NULL,
    points    INTEGER NOT NULL DEFAULT 0,
    days      INTEGER NOT NULL DEFAULT 0,
    minutes   INTEGER NOT NULL DEFAULT 0,
    sessions  INTEGER NOT NULL DEFAULT 0,
    solves    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, period, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);

CREATE INDEX member_period_totals_ranking
    ON member_period_totals (guild_id, period, points DESC, user_id);
