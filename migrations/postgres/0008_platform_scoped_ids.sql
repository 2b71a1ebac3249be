-- As migrations/sqlite/0008_platform_scoped_ids.sql: platform-scoped ids, so one database
-- holds Discord servers and Slack workspaces. A community is 'discord:<guild id>' or
-- 'slack:<team id>'; users, channels and messages are text as the platform gives them.
-- `guilds` becomes `communities` and `guild_curricula` becomes `community_curricula`.
--
-- PostgreSQL changes a column's type in place, so nothing is rebuilt: the foreign keys are
-- dropped (a key's two sides must keep one type), every id is retyped and renamed, and the
-- keys are put back. Every row keeps every value but its ids.

ALTER TABLE members DROP CONSTRAINT members_guild_id_fkey;
ALTER TABLE scheduled_posts DROP CONSTRAINT scheduled_posts_guild_id_fkey;
ALTER TABLE guild_curricula DROP CONSTRAINT guild_curricula_guild_id_fkey;
ALTER TABLE checkins DROP CONSTRAINT checkins_guild_id_user_id_fkey;
ALTER TABLE study_days DROP CONSTRAINT study_days_guild_id_user_id_fkey;
ALTER TABLE solves DROP CONSTRAINT solves_guild_id_user_id_fkey;
ALTER TABLE member_period_totals DROP CONSTRAINT member_period_totals_guild_id_user_id_fkey;
ALTER TABLE reminders_sent DROP CONSTRAINT reminders_sent_guild_id_user_id_fkey;
ALTER TABLE away_periods DROP CONSTRAINT away_periods_guild_id_user_id_fkey;
ALTER TABLE buddy_optins DROP CONSTRAINT buddy_optins_guild_id_user_id_fkey;
ALTER TABLE buddy_pairs DROP CONSTRAINT buddy_pairs_guild_id_user_id_fkey;
ALTER TABLE milestones DROP CONSTRAINT milestones_guild_id_user_id_fkey;
ALTER TABLE leetcode_links DROP CONSTRAINT leetcode_links_guild_id_user_id_fkey;

ALTER TABLE guilds RENAME TO communities;
ALTER TABLE communities ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN channel_id TYPE TEXT;
ALTER TABLE communities RENAME COLUMN guild_id TO community_id;
ALTER TABLE communities ADD CHECK (community_id ~ '^(discord|slack):.');

ALTER TABLE guild_curricula RENAME TO community_curricula;
ALTER TABLE community_curricula ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN imported_by TYPE TEXT;
ALTER TABLE community_curricula RENAME COLUMN guild_id TO community_id;

ALTER TABLE scheduled_posts ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN channel_id TYPE TEXT, ALTER COLUMN message_id TYPE TEXT;
ALTER TABLE scheduled_posts RENAME COLUMN guild_id TO community_id;
ALTER TABLE members ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE members RENAME COLUMN guild_id TO community_id;
ALTER TABLE checkins ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE checkins RENAME COLUMN guild_id TO community_id;
ALTER TABLE study_days ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE study_days RENAME COLUMN guild_id TO community_id;
ALTER TABLE solves ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE solves RENAME COLUMN guild_id TO community_id;
ALTER TABLE member_period_totals ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE member_period_totals RENAME COLUMN guild_id TO community_id;
ALTER TABLE reminders_sent ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE reminders_sent RENAME COLUMN guild_id TO community_id;
ALTER TABLE away_periods ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE away_periods RENAME COLUMN guild_id TO community_id;
ALTER TABLE buddy_optins ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE buddy_optins RENAME COLUMN guild_id TO community_id;
ALTER TABLE buddy_pairs ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE buddy_pairs RENAME COLUMN guild_id TO community_id;
ALTER TABLE milestones ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE milestones RENAME COLUMN guild_id TO community_id;
ALTER TABLE leetcode_links ALTER COLUMN guild_id TYPE TEXT USING 'discord:' || guild_id,
    ALTER COLUMN user_id TYPE TEXT;
ALTER TABLE leetcode_links RENAME COLUMN guild_id TO community_id;

ALTER TABLE members ADD FOREIGN KEY (community_id)
    REFERENCES communities (community_id) ON DELETE CASCADE;
ALTER TABLE scheduled_posts ADD FOREIGN KEY (community_id)
    REFERENCES communities (community_id) ON DELETE CASCADE;
ALTER TABLE community_curricula ADD FOREIGN KEY (community_id)
    REFERENCES communities (community_id) ON DELETE CASCADE;
ALTER TABLE checkins ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE study_days ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE solves ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE member_period_totals ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE reminders_sent ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE away_periods ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE buddy_optins ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE buddy_pairs ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE milestones ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;
ALTER TABLE leetcode_links ADD FOREIGN KEY (community_id, user_id)
    REFERENCES members (community_id, user_id) ON DELETE CASCADE;

ALTER INDEX checkins_by_guild_day RENAME TO checkins_by_community_day;
