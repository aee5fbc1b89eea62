-- Views over log_entries (issue 4): who acknowledged each incident when, and its priority changes.
-- Unqualified names: the connection's search_path picks the account's schema.
CREATE VIEW "incident_acknowledgements" AS
SELECT
	"incident_id",
	"agent_id" AS "user_id",
	"created_at" AS "acknowledged_at",
	"id" AS "log_entry_id"
FROM "log_entries"
WHERE "type" = 'acknowledge_log_entry' AND "agent_type" = 'user_reference';
--> statement-breakpoint
CREATE VIEW "incident_priority_changes" AS
SELECT
	"incident_id",
	"created_at" AS "changed_at",
	"agent_id",
	"id" AS "log_entry_id",
	(regexp_match("summary", '^Priority changed from "([^"]*)" to "([^"]*)"'))[1] AS "from_priority",
	(regexp_match("summary", '^Priority changed from "([^"]*)" to "([^"]*)"'))[2] AS "to_priority"
FROM "log_entries"
WHERE "type" = 'priority_change_log_entry';
