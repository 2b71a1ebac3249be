-- As migrations/sqlite/0009_organisers.sql: members an admin names to run the study group
-- without being a workspace admin.
CREATE TABLE organisers (
    community_id TEXT NOT NULL REFERENCES communities (community_id),
    user_id TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
