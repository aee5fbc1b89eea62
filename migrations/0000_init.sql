CREATE TABLE "incident_assignments" (
	"incident_id" text NOT NULL,
	"user_id" text NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_assignments_pkey" PRIMARY KEY("incident_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"incident_number" integer NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"urgency" text NOT NULL,
	"priority_id" text,
	"service_id" text NOT NULL,
	"escalation_policy_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"last_status_change_at" timestamp with time zone NOT NULL,
	"incident_key" text,
	"html_url" text NOT NULL,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"incident_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"agent_type" text,
	"agent_id" text,
	"channel_type" text,
	"summary" text,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncalls" (
	"escalation_policy_id" text NOT NULL,
	"escalation_level" integer NOT NULL,
	"schedule_id" text,
	"user_id" text NOT NULL,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oncalls_natural_key" UNIQUE NULLS NOT DISTINCT("escalation_policy_id","escalation_level","schedule_id","user_id","start_at")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"service_key" text NOT NULL,
	"description" text,
	"status" text NOT NULL,
	"escalation_policy_id" text,
	"created_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sync_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"resources" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"retries" integer DEFAULT 0 NOT NULL,
	"rate_limited" integer DEFAULT 0 NOT NULL,
	"error" text,
	CONSTRAINT "sync_runs_status_check" CHECK ("sync_runs"."status" in ('running', 'succeeded', 'failed', 'partial', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"resource" text PRIMARY KEY NOT NULL,
	"cursor" timestamp with time zone,
	"extra" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_windows" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sync_windows_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" bigint NOT NULL,
	"resource" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"pages" integer NOT NULL,
	"rows" integer NOT NULL,
	"split_depth" integer DEFAULT 0 NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "incident_assignments_user_id_idx" ON "incident_assignments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "incidents_created_at_idx" ON "incidents" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "incidents_service_id_idx" ON "incidents" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status");--> statement-breakpoint
CREATE INDEX "log_entries_incident_id_created_at_idx" ON "log_entries" USING btree ("incident_id","created_at");--> statement-breakpoint
CREATE INDEX "log_entries_type_incident_id_idx" ON "log_entries" USING btree ("type","incident_id");--> statement-breakpoint
CREATE INDEX "oncalls_start_at_idx" ON "oncalls" USING btree ("start_at");--> statement-breakpoint
CREATE INDEX "oncalls_user_id_idx" ON "oncalls" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "services_service_key_idx" ON "services" USING btree ("service_key");--> statement-breakpoint
CREATE INDEX "sync_runs_started_at_idx" ON "sync_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "sync_windows_resource_window_end_idx" ON "sync_windows" USING btree ("resource","window_end");--> statement-breakpoint
CREATE INDEX "sync_windows_run_id_idx" ON "sync_windows" USING btree ("run_id");