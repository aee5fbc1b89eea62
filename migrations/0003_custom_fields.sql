CREATE TABLE "incident_custom_fields" (
	"incident_id" text NOT NULL,
	"field_id" text NOT NULL,
	"field_name" text NOT NULL,
	"field_type" text NOT NULL,
	"data_type" text NOT NULL,
	"value" jsonb NOT NULL,
	"value_text" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_custom_fields_pkey" PRIMARY KEY("incident_id","field_id")
);
--> statement-breakpoint
CREATE TABLE "service_custom_fields" (
	"service_id" text NOT NULL,
	"field_id" text NOT NULL,
	"field_name" text NOT NULL,
	"field_type" text NOT NULL,
	"data_type" text NOT NULL,
	"value" jsonb NOT NULL,
	"value_text" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_custom_fields_pkey" PRIMARY KEY("service_id","field_id")
);
--> statement-breakpoint
CREATE INDEX "incident_custom_fields_name_idx" ON "incident_custom_fields" USING btree ("field_name","value_text");--> statement-breakpoint
CREATE INDEX "service_custom_fields_name_idx" ON "service_custom_fields" USING btree ("field_name","value_text");