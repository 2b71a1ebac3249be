-- Per-member, per-day totals kept in the same transaction as each check-in, so streaks,
-- stats and the heatmap read one row per day instead of every session.
CREATE TABLE study_days (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    sessions    INTEGER NOT NULL CHECK (sessions >= 1),
    PRIMARY KEY (guild_id, user_id, local_date),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Solved problems, once per member and problem; points are fixed when the solve is recorded.
CREATE TABLE solves (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    problem_id  TEXT    NOT NULL,
    local_date  TEXT    NOT NULL,
    difficulty  TEXT    NOT NULL CHECK (difficulty IN ('Easy', 'Medium', 'Hard')),
    points      INTEGER NOT NULL CHECK (points >= 0),
    verified    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, problem_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX solves_by_member_day ON solves (guild_id, user_id, local_date);
