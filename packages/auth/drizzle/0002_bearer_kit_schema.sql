-- Every table moves into the `bearer_kit` schema, so a host app's own `users` or `sessions`
-- never collides with ours. migrate() creates the schema and runs every migration with
-- `search_path = bearer_kit`, so on a fresh install 0000 and 0001 already created the tables
-- there, and this migration must not touch `public`: a `public.users` is then the host's.
-- Only an install from before this migration has them in `public`; each table moves only
-- when it is missing here and present there. ALTER ... SET SCHEMA keeps rows, indexes and
-- foreign keys; nothing is copied.
CREATE SCHEMA IF NOT EXISTS "bearer_kit";
--> statement-breakpoint
DO $$
DECLARE
  moved boolean := false;
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['users', 'sessions', 'refresh_tokens', 'throttles'] LOOP
    IF to_regclass(format('bearer_kit.%I', name)) IS NULL AND to_regclass(format('public.%I', name)) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE public.%I SET SCHEMA bearer_kit', name);
      moved := moved OR name = 'users';
    END IF;
  END LOOP;
  -- An install from before 0001 left its old counters in public; 0001 could only see bearer_kit.
  IF moved AND to_regclass('public.signin_throttles') IS NOT NULL THEN
    DROP TABLE public.signin_throttles;
  END IF;
END $$;
--> statement-breakpoint
CREATE TABLE "bearer_kit"."signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"state" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"encrypted_private_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"activated_at" timestamp with time zone,
	"deactivated_at" timestamp with time zone,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_one_current" ON "bearer_kit"."signing_keys" USING btree ("state") WHERE "bearer_kit"."signing_keys"."state" = 'current';--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_one_next" ON "bearer_kit"."signing_keys" USING btree ("state") WHERE "bearer_kit"."signing_keys"."state" = 'next';
