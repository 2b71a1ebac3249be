-- Several processes can share one database (PostgreSQL, Discord shards split across hosts), and
-- during a deploy the old and the new process both run. A claimed post is now held by a lease:
-- the claiming process's name and until when; only a live lease's holder sends, and a lease
-- left by a killed process expires so another can take the post over.
ALTER TABLE scheduled_posts ADD COLUMN lease_owner TEXT;
ALTER TABLE scheduled_posts ADD COLUMN lease_until TEXT;

-- Work done once for every server (retention, the LeetCode fetch) runs under a named lease.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT NOT NULL
) WITHOUT ROWID;

-- Discord's 50 requests a second hold for the bot, however many processes it runs in: each
-- request reserves the next slot here (seconds since the epoch, on the database's clock).
CREATE TABLE rest_budget (
    budget TEXT PRIMARY KEY,
    next_slot REAL NOT NULL
) WITHOUT ROWID;
