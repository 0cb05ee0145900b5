-- Revocations are announced on the channel `bearer_kit_revocations` by triggers, in the same
-- transaction as the change: every instance listening hears of them on commit, whoever made the
-- change (this package, a host app, an operator in psql), and never of a change rolled back.
-- Payloads are JSON, kept far below NOTIFY's 8000-byte limit (see lib/revocation-feed.ts):
--   {"s":[session ids],"r":reason}  these sessions ended (r null: changed, drop cached copies only)
--   {"u":user id,"r":reason}        sessions of this user ended, too many to list (r null: the user changed)
--   {"k":kid}                       a signing key was retired or deleted
--   {"a":1}                         too many changes to list: drop everything
-- Triggers run with the caller's search_path: each function pins this schema's instead.
CREATE FUNCTION notify_sessions_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  grp record;
BEGIN
  FOR grp IN
    SELECT n.user_id,
      CASE WHEN o.revoked_at IS NULL AND n.revoked_at IS NOT NULL THEN coalesce(n.revoked_reason, 'revoked') END AS reason,
      array_agg(n.id) AS ids,
      count(*) OVER () AS groups
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    -- Only what can make a cached copy unsafe; a later expiry or last_used_at never does.
    WHERE (o.revoked_at IS NULL AND n.revoked_at IS NOT NULL)
      OR n.expires_at < o.expires_at OR n.idle_expires_at < o.idle_expires_at OR n.user_id <> o.user_id
    GROUP BY 1, 2
  LOOP
    IF grp.groups > 20 THEN
      PERFORM pg_notify('bearer_kit_revocations', '{"a":1}');
      RETURN NULL;
    ELSIF cardinality(grp.ids) <= 50 THEN
      PERFORM pg_notify('bearer_kit_revocations', json_build_object('s', grp.ids, 'r', grp.reason)::text);
    ELSE
      PERFORM pg_notify('bearer_kit_revocations', json_build_object('u', grp.user_id, 'r', grp.reason)::text);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION notify_sessions_deleted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  grp record;
BEGIN
  FOR grp IN
    -- A cascade from users has already removed the user: the account was deleted.
    SELECT o.user_id,
      CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id) THEN 'deleted' ELSE 'account_deleted' END AS reason,
      array_agg(o.id) AS ids,
      count(*) OVER () AS groups
    FROM old_rows o
    WHERE o.revoked_at IS NULL
    GROUP BY 1, 2
  LOOP
    IF grp.groups > 20 THEN
      PERFORM pg_notify('bearer_kit_revocations', '{"a":1}');
      RETURN NULL;
    ELSIF cardinality(grp.ids) <= 50 THEN
      PERFORM pg_notify('bearer_kit_revocations', json_build_object('s', grp.ids, 'r', grp.reason)::text);
    ELSE
      PERFORM pg_notify('bearer_kit_revocations', json_build_object('u', grp.user_id, 'r', grp.reason)::text);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION notify_users_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  changed record;
BEGIN
  FOR changed IN
    SELECT n.id, count(*) OVER () AS total
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.email <> o.email OR n.name <> o.name OR n.password_hash <> o.password_hash OR n.created_at <> o.created_at
  LOOP
    IF changed.total > 20 THEN
      PERFORM pg_notify('bearer_kit_revocations', '{"a":1}');
      RETURN NULL;
    END IF;
    PERFORM pg_notify('bearer_kit_revocations', json_build_object('u', changed.id, 'r', NULL)::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION notify_signing_keys_retired() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  key record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    FOR key IN SELECT o.kid FROM old_rows o LOOP
      PERFORM pg_notify('bearer_kit_revocations', json_build_object('k', key.kid)::text);
    END LOOP;
  ELSE
    FOR key IN
      SELECT n.kid FROM new_rows n JOIN old_rows o ON o.kid = n.kid WHERE n.state = 'retired' AND o.state <> 'retired'
    LOOP
      PERFORM pg_notify('bearer_kit_revocations', json_build_object('k', key.kid)::text);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_notify_updated AFTER UPDATE ON sessions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_sessions_updated();
--> statement-breakpoint
CREATE TRIGGER sessions_notify_deleted AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_sessions_deleted();
--> statement-breakpoint
CREATE TRIGGER users_notify_updated AFTER UPDATE ON users
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_users_updated();
--> statement-breakpoint
CREATE TRIGGER signing_keys_notify_updated AFTER UPDATE ON signing_keys
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_signing_keys_retired();
--> statement-breakpoint
CREATE TRIGGER signing_keys_notify_deleted AFTER DELETE ON signing_keys
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_signing_keys_retired();
