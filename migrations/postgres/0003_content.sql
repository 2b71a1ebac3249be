-- As migrations/sqlite/0003_content.sql: an imported curriculum per server, and the weekly
-- pattern of problem difficulties.
CREATE TABLE guild_curricula (
    guild_id     BIGINT  PRIMARY KEY REFERENCES guilds (guild_id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    filename     TEXT    NOT NULL,
    imported_by  BIGINT  NOT NULL,
    imported_at  TEXT    NOT NULL
);

ALTER TABLE guilds ADD COLUMN difficulty_pattern TEXT NOT NULL DEFAULT 'EEMMMHX'
    CHECK (length(difficulty_pattern) = 7 AND difficulty_pattern !~ '[^EMHX]');
