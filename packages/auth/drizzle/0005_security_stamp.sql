ALTER TABLE "bearer_kit"."email_tokens" ADD COLUMN "credential_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "bearer_kit"."sessions" ADD COLUMN "credential_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "bearer_kit"."users" ADD COLUMN "credential_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- A raised credential_version is a credential change, even when made in SQL by an operator
-- (`UPDATE users SET credential_version = credential_version + 1` signs the account out
-- everywhere): cached sessions of the user must be dropped on every instance.
CREATE OR REPLACE FUNCTION notify_users_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  changed record;
BEGIN
  FOR changed IN
    SELECT n.id, count(*) OVER () AS total
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.email <> o.email OR n.name <> o.name OR n.password_hash <> o.password_hash OR n.created_at <> o.created_at
      OR n.email_verified_at IS DISTINCT FROM o.email_verified_at OR n.credential_version <> o.credential_version
  LOOP
    IF changed.total > 20 THEN
      PERFORM pg_notify('bearer_kit_revocations', '{"a":1}');
      RETURN NULL;
    END IF;
    PERFORM pg_notify('bearer_kit_revocations', json_build_object('u', changed.id, 'r', NULL)::text);
  END LOOP;
  RETURN NULL;
END $$;
