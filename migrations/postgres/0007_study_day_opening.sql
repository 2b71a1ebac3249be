-- As migrations/sqlite/0007_study_day_opening.sql: when each study day opened, and in which
-- zone it counted.
ALTER TABLE study_days ADD COLUMN opened_at TEXT;
ALTER TABLE study_days ADD COLUMN zone TEXT;

UPDATE study_days SET
    opened_at = coalesce(
        (SELECT min(c.created_at) FROM checkins c
          WHERE c.guild_id = study_days.guild_id AND c.user_id = study_days.user_id
            AND c.local_date = study_days.local_date),
        study_days.local_date || 'T00:00:00+00:00'),
    zone = (SELECT coalesce(m.timezone, g.timezone, 'UTC') FROM members m
              JOIN guilds g ON g.guild_id = m.guild_id
             WHERE m.guild_id = study_days.guild_id AND m.user_id = study_days.user_id);
