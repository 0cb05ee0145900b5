-- Throttle keys are now HMACs under a key derived from AUTH_SECRET (they were SHA-256 of the
-- email and the raw address), and sign-in attempts in flight are counted apart from failures.
-- Old counters cannot be mapped to the new keys, so they are dropped: at most one window
-- (15 minutes by default) of counts is forgotten on upgrade.
DROP TABLE IF EXISTS "signin_throttles";
--> statement-breakpoint
CREATE TABLE "throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL
);
