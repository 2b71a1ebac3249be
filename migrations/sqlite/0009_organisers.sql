-- Members an admin names to run the study group without being a workspace admin (Slack's
-- admins are the workspace's owners and admins; an organiser needs no workspace role).
CREATE TABLE organisers (
    community_id TEXT NOT NULL REFERENCES communities (community_id),
    user_id TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id)
) WITHOUT ROWID;
