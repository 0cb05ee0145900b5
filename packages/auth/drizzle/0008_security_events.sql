CREATE TABLE "bearer_kit"."security_event_deliveries" (
	"receiver_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "security_event_deliveries_receiver_id_event_id_pk" PRIMARY KEY("receiver_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "bearer_kit"."security_event_receivers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"credential_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bearer_kit"."security_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid,
	"type" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bearer_kit"."security_event_deliveries" ADD CONSTRAINT "security_event_deliveries_receiver_id_security_event_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "bearer_kit"."security_event_receivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bearer_kit"."security_event_deliveries" ADD CONSTRAINT "security_event_deliveries_event_id_security_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "bearer_kit"."security_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "security_event_deliveries_receiver_created_idx" ON "bearer_kit"."security_event_deliveries" USING btree ("receiver_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "security_event_receivers_name_key" ON "bearer_kit"."security_event_receivers" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "security_event_receivers_credential_hash_key" ON "bearer_kit"."security_event_receivers" USING btree ("credential_hash");--> statement-breakpoint
CREATE INDEX "security_events_user_id_created_at_idx" ON "bearer_kit"."security_events" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "security_events_created_at_idx" ON "bearer_kit"."security_events" USING btree ("created_at");--> statement-breakpoint
-- Every session end is a security event, whichever path ended it (sign-out, a credential change,
-- a reused refresh token, eviction, an operator's UPDATE): written here, in the transaction
-- that set revoked_at, so it exists exactly when the revocation does.
CREATE OR REPLACE FUNCTION record_session_revoked() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO security_events (id, user_id, session_id, type, created_at, ip_address, user_agent, detail)
  VALUES (gen_random_uuid(), NEW.user_id, NEW.id, 'session_revoked', NEW.revoked_at, NEW.ip_address, NEW.user_agent,
    jsonb_build_object('reason', coalesce(NEW.revoked_reason, 'revoked')));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_revoked AFTER UPDATE OF revoked_at ON sessions
  FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION record_session_revoked();
--> statement-breakpoint
-- The events other services must hear (RFC 8417 SETs) wait for every registered receiver until
-- it acknowledges them; pollers waiting on the feed are woken on commit.
CREATE OR REPLACE FUNCTION deliver_security_event() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF NEW.type IN ('session_revoked', 'password_changed', 'password_reset', 'email_changed', 'second_factor_changed', 'account_deleted') THEN
    INSERT INTO security_event_deliveries (receiver_id, event_id, created_at)
    SELECT r.id, NEW.id, NEW.created_at FROM security_event_receivers r;
    PERFORM pg_notify('bearer_kit_security_events', '');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER security_events_delivered AFTER INSERT ON security_events
  FOR EACH ROW EXECUTE FUNCTION deliver_security_event();
