-- Study content per server: an imported curriculum replaces the bundled one until reset,
-- and the weekly pattern of problem difficulties (Monday first: E, M, H or X for ML).
CREATE TABLE guild_curricula (
    guild_id     INTEGER PRIMARY KEY REFERENCES guilds (guild_id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    filename     TEXT    NOT NULL,
    imported_by  INTEGER NOT NULL,
    imported_at  TEXT    NOT NULL
);

ALTER TABLE guilds ADD COLUMN difficulty_pattern TEXT NOT NULL DEFAULT 'EEMMMHX'
    CHECK (length(difficulty_pattern) = 7 AND difficulty_pattern NOT GLOB '*[^EMHX]*');
