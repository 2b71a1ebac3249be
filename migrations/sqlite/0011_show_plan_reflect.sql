-- Show your work, plan the week, reflect.

-- A check-in may link to what the member made (an http(s) URL, checked by the bot).
ALTER TABLE checkins ADD COLUMN link TEXT CHECK (link IS NULL OR length(link) <= 300);

-- Work a member shared with /share, and the group's "Useful" votes on it.
CREATE TABLE shared_items (
    item_id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old messages keep their id
    community_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) <= 100),
    link TEXT NOT NULL CHECK (length(link) <= 300),
    kind TEXT NOT NULL CHECK (kind IN ('notebook', 'repo', 'blog', 'video', 'notes', 'other')),
    shared_at TEXT NOT NULL,
    week TEXT NOT NULL,  -- the community's ISO week when shared, as 2026-W49
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id) ON DELETE CASCADE
);
CREATE INDEX shared_items_by_member ON shared_items (community_id, user_id, shared_at);
CREATE INDEX shared_items_by_week ON shared_items (community_id, week);

CREATE TABLE share_votes (
    item_id INTEGER NOT NULL REFERENCES shared_items (item_id) ON DELETE CASCADE,
    community_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    voted_at TEXT NOT NULL,
    PRIMARY KEY (item_id, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX share_votes_by_member ON share_votes (community_id, user_id);

-- A member's goals for one ISO week of the community, and how the week went (private).
CREATE TABLE week_plans (
    community_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    week TEXT NOT NULL,
    set_at TEXT NOT NULL,
    review_sent_at TEXT,  -- the "Your week in review" message, sent once
    helped TEXT CHECK (helped IS NULL OR length(helped) <= 1000),
    hindered TEXT CHECK (hindered IS NULL OR length(hindered) <= 1000),
    reviewed_at TEXT,
    PRIMARY KEY (community_id, user_id, week),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE plan_goals (
    community_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    week TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 5),
    goal TEXT NOT NULL CHECK (length(goal) <= 500),
    done_at TEXT,
    PRIMARY KEY (community_id, user_id, week, position),
    FOREIGN KEY (community_id, user_id, week)
        REFERENCES week_plans (community_id, user_id, week) ON DELETE CASCADE
) WITHOUT ROWID;

-- Answers to the daily reflection question: one a day, private to the member.
CREATE TABLE reflections (
    community_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    local_date TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (length(answer) <= 1000),
    written_at TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id, local_date),
    FOREIGN KEY (community_id, user_id) REFERENCES members (community_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;
