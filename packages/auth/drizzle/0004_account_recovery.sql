CREATE TABLE "bearer_kit"."email_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"token_hash" text NOT NULL,
	"new_email" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bearer_kit"."users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bearer_kit"."email_tokens" ADD CONSTRAINT "email_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "bearer_kit"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_tokens_token_hash_key" ON "bearer_kit"."email_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "email_tokens_user_id_purpose_idx" ON "bearer_kit"."email_tokens" USING btree ("user_id","purpose");--> statement-breakpoint
-- Cached sessions carry the user's email_verified_at (as emailVerified): a change to it must reach
-- every instance like a change of email or password does (see 0003_revocation_notify).
CREATE OR REPLACE FUNCTION notify_users_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  changed record;
BEGIN
  FOR changed IN
    SELECT n.id, count(*) OVER () AS total
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.email <> o.email OR n.name <> o.name OR n.password_hash <> o.password_hash OR n.created_at <> o.created_at
      OR n.email_verified_at IS DISTINCT FROM o.email_verified_at
  LOOP
    IF changed.total > 20 THEN
      PERFORM pg_notify('bearer_kit_revocations', '{"a":1}');
      RETURN NULL;
    END IF;
    PERFORM pg_notify('bearer_kit_revocations', json_build_object('u', changed.id, 'r', NULL)::text);
  END LOOP;
  RETURN NULL;
END $$;
