CREATE TABLE "entity_tags" (
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"tag_id" text NOT NULL,
	"tag_key" text NOT NULL,
	"tag_value" text,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entity_tags_pkey" PRIMARY KEY("entity_type","entity_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "escalation_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"num_loops" integer,
	"on_call_handoff_notifications" text,
	"deleted_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalation_rule_targets" (
	"escalation_rule_id" text NOT NULL,
	"escalation_policy_id" text NOT NULL,
	"position" integer NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "escalation_rule_targets_pkey" PRIMARY KEY("escalation_rule_id","position")
);
--> statement-breakpoint
CREATE TABLE "escalation_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_policy_id" text NOT NULL,
	"level" integer NOT NULL,
	"escalation_delay_in_minutes" integer,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_teams" (
	"incident_id" text NOT NULL,
	"team_id" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_teams_pkey" PRIMARY KEY("incident_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "priorities" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"order" integer,
	"color" text,
	"deleted_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_layers" (
	"id" text PRIMARY KEY NOT NULL,
	"schedule_id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"rotation_virtual_start" timestamp with time zone,
	"rotation_turn_length_seconds" integer,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_users" (
	"schedule_id" text NOT NULL,
	"layer_id" text NOT NULL,
	"position" integer NOT NULL,
	"user_id" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_users_pkey" PRIMARY KEY("layer_id","position")
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"time_zone" text,
	"deleted_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"id" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"tag_key" text NOT NULL,
	"tag_value" text,
	"deleted_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_pkey" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"team_key" text NOT NULL,
	"description" text,
	"default_role" text,
	"deleted_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"time_zone" text,
	"role" text,
	"job_title" text,
	"deleted_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "entity_tags_key_value_idx" ON "entity_tags" USING btree ("tag_key","tag_value");--> statement-breakpoint
CREATE INDEX "escalation_rule_targets_policy_idx" ON "escalation_rule_targets" USING btree ("escalation_policy_id");--> statement-breakpoint
CREATE INDEX "escalation_rules_policy_idx" ON "escalation_rules" USING btree ("escalation_policy_id");--> statement-breakpoint
CREATE INDEX "incident_teams_team_idx" ON "incident_teams" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "schedule_layers_schedule_idx" ON "schedule_layers" USING btree ("schedule_id");--> statement-breakpoint
CREATE INDEX "schedule_users_user_idx" ON "schedule_users" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "tags_key_value_idx" ON "tags" USING btree ("tag_key","tag_value");--> statement-breakpoint
CREATE INDEX "team_members_user_id_idx" ON "team_members" USING btree ("user_id");