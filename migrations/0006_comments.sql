-- Documentation inside the database (issue 5): a comment on every table, view and column of the account's
-- schema, so `\d+` and BI tools show what each holds. Unqualified names: the search_path picks the schema.
COMMENT ON TABLE "incidents" IS 'One row per PagerDuty incident (key id), read by created_at windows, from the log-entry feed and by a sweep of open incidents. Times are UTC; acknowledged_at is the first acknowledgement, kept after resolve.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."id" IS 'PagerDuty incident id (primary key); joins incident_assignments, incident_teams, log_entries and analytics_incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."incident_number" IS 'The account-wide incident number shown in the PagerDuty UI.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."title" IS 'Incident title (summary).';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."status" IS 'Current status: triggered, acknowledged or resolved.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."urgency" IS 'high or low.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."priority_id" IS 'Current priority (priorities.id); null when the incident has no priority.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."service_id" IS 'Service the incident belongs to (services.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."escalation_policy_id" IS 'Escalation policy the incident follows (escalation_policies.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."created_at" IS 'When the incident was triggered (UTC); the start of MTTA and MTTR.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."updated_at" IS 'PagerDuty''s last update time (UTC); created_at when the API gave none.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."acknowledged_at" IS 'The FIRST acknowledgement (UTC), from the earliest acknowledge_log_entry; kept after resolve, when PagerDuty clears acknowledgements. Null if never acknowledged.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."resolved_at" IS 'When the incident was resolved (UTC); null while open.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."last_status_change_at" IS 'When the status last changed (UTC); created_at when the API gave none.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."incident_key" IS 'De-duplication key of the incident (from the Events API or integration); may be null.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."html_url" IS 'Link to the incident in the PagerDuty web app.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."raw" IS 'The whole incident item as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "incidents"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "incident_assignments" IS 'One row per current assignee of an incident (key incident_id, user_id); an incident''s rows are replaced as a set on every read, so resolved incidents usually have none.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_assignments"."incident_id" IS 'The incident (incidents.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_assignments"."user_id" IS 'The assigned user (users.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_assignments"."assigned_at" IS 'When this assignment was made (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_assignments"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "log_entries" IS 'One row per incident log entry (key id), overview entries only (is_overview=true: no per-notification rows): trigger, assign, escalate, acknowledge, annotate, priority and urgency changes, resolve.';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."id" IS 'PagerDuty log entry id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."type" IS 'Entry type, e.g. trigger_log_entry, acknowledge_log_entry, escalate_log_entry, resolve_log_entry.';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."incident_id" IS 'The incident the entry belongs to (incidents.id).';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."created_at" IS 'When the entry was written (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."agent_type" IS 'Who or what acted, e.g. user_reference or service_reference; null when the entry has no agent.';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."agent_id" IS 'Id of the agent (users.id when agent_type is user_reference).';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."channel_type" IS 'How the action came in, e.g. web_trigger, api, email, auto or timeout; may be null.';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."summary" IS 'PagerDuty''s one-line description, e.g. Priority changed from "P3" to "P1".';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."raw" IS 'The whole log entry as the API sent it. Its embedded incident shows the incident as it was when the entry was written, not now.';
--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "services" IS 'One row per service (key id), a full snapshot each run. service_key is the join key shared with other tools.';
--> statement-breakpoint
COMMENT ON COLUMN "services"."id" IS 'PagerDuty service id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "services"."name" IS 'Service name as shown in PagerDuty.';
--> statement-breakpoint
COMMENT ON COLUMN "services"."service_key" IS 'Join key for other tools: the first value from SERVICE_KEY_SOURCE (tag:… on the escalation policy, or custom_field:…), else a slug of the name (Webshop API becomes webshop-api).';
--> statement-breakpoint
COMMENT ON COLUMN "services"."description" IS 'Service description; URLs in it feed the service_links view.';
--> statement-breakpoint
COMMENT ON COLUMN "services"."status" IS 'PagerDuty service status, e.g. active, warning, critical, maintenance or disabled (active when the API gave none).';
--> statement-breakpoint
COMMENT ON COLUMN "services"."escalation_policy_id" IS 'Escalation policy of the service (escalation_policies.id).';
--> statement-breakpoint
COMMENT ON COLUMN "services"."created_at" IS 'When the service was created in PagerDuty (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "services"."deleted_at" IS 'Set when a complete listing no longer had the service (UTC); cleared if it comes back.';
--> statement-breakpoint
COMMENT ON COLUMN "services"."raw" IS 'The whole service item as the API sent it (unknown keys kept); query it for fields without a column. Its teams array names the owning teams.';
--> statement-breakpoint
COMMENT ON COLUMN "services"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "oncalls" IS 'One row per on-call shift, unique on (escalation_policy_id, escalation_level, schedule_id, user_id, start_at) with nulls not distinct. Past shifts accumulate from run to run; future shifts (up to 30 days ahead) are replaced each run.';
--> statement-breakpoint
COMMENT ON COLUMN "oncalls"."escalation_policy_id" IS 'Escalation policy the user is on call for (escalation_policies.id).';
--> statement-breakpoint
COMMENT ON COLUMN "oncalls"."escalation_level" IS '1-based level of the policy''s rule that pages the user (escalation_rules.level).';
--> statement-breakpoint
COMMENT ON COLUMN "oncalls"."schedule_id" IS 'The schedule that put the user on call (schedules.id); null for a direct user target of the policy.';
--> statement-breakpoint
COMMENT ON COLUMN "oncalls"."user_id" IS 'The user on call (users.id).';
--> statement-breakpoint
COMMENT ON COLUMN "oncalls"."start_at" IS 'Shift start (UTC); null for a permanent on-call (direct user target).';
--> statement-breakpoint
COMMENT ON COLUMN "oncalls"."end_at" IS 'Shift end (UTC), exclusive; null for a permanent on-call.';
--> statement-breakpoint
COMMENT ON COLUMN "oncalls"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "teams" IS 'One row per team (key id), a full snapshot each run; plan-gated (empty when the plan has no teams). team_key is the join key shared with other tools.';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."id" IS 'PagerDuty team id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."name" IS 'Team name.';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."team_key" IS 'Join key for other tools: the first value from TEAM_KEY_SOURCE (tag:… on the team), else a slug of the name (Identity & Access becomes identity-access).';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."description" IS 'Team description.';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."default_role" IS 'PagerDuty''s default role of the team''s members, e.g. manager, observer or none.';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."deleted_at" IS 'Set when a complete listing no longer had the team (UTC); cleared if it comes back.';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."raw" IS 'The whole team item as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "teams"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "team_members" IS 'One row per member of a team (key team_id, user_id), from /teams/{id}/members; a team''s rows are replaced as a set.';
--> statement-breakpoint
COMMENT ON COLUMN "team_members"."team_id" IS 'The team (teams.id).';
--> statement-breakpoint
COMMENT ON COLUMN "team_members"."user_id" IS 'The member (users.id).';
--> statement-breakpoint
COMMENT ON COLUMN "team_members"."role" IS 'Role in the team: manager, responder or observer.';
--> statement-breakpoint
COMMENT ON COLUMN "team_members"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "users" IS 'One row per user (key id), a full snapshot each run. Name, email and work attributes only; no other contact details are kept.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."id" IS 'PagerDuty user id (primary key); log_entries.agent_id, oncalls.user_id and assignments point here.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."name" IS 'User name.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."email" IS 'Login email address.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."time_zone" IS 'The user''s IANA time zone, e.g. Europe/Berlin.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."role" IS 'Account role, e.g. owner, admin, user, limited_user, observer or read_only_user.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."job_title" IS 'Job title, when set.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."deleted_at" IS 'Set when a complete listing no longer had the user (UTC); cleared if it comes back.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."raw" IS 'The whole user item as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "users"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "escalation_policies" IS 'One row per escalation policy (key id), a full snapshot each run; its rules are in escalation_rules and their targets in escalation_rule_targets.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."id" IS 'PagerDuty escalation policy id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."name" IS 'Policy name.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."description" IS 'Policy description.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."num_loops" IS 'How many times the policy repeats after its last rule (0 = no repeat).';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."on_call_handoff_notifications" IS 'When on-call handoff notifications go out: if_has_services or always.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."deleted_at" IS 'Set when a complete listing no longer had the escalation policy (UTC); cleared if it comes back.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."raw" IS 'The whole escalation policy item as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_policies"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "escalation_rules" IS 'One row per rule of an escalation policy (key id); a policy''s rules are replaced as a set on each run.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rules"."id" IS 'PagerDuty escalation rule id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rules"."escalation_policy_id" IS 'The policy (escalation_policies.id).';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rules"."level" IS '1-based position of the rule in the policy; level 1 is paged first (matches oncalls.escalation_level).';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rules"."escalation_delay_in_minutes" IS 'Minutes an unacknowledged incident waits at this level before escalating to the next.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rules"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "escalation_rule_targets" IS 'One row per target of an escalation rule (key escalation_rule_id, position): a user or a schedule to page.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rule_targets"."escalation_rule_id" IS 'The rule (escalation_rules.id).';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rule_targets"."escalation_policy_id" IS 'The rule''s policy (escalation_policies.id), repeated here for filtering.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rule_targets"."position" IS '0-based order of the target in the rule.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rule_targets"."target_type" IS 'user or schedule.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rule_targets"."target_id" IS 'users.id or schedules.id, as target_type says.';
--> statement-breakpoint
COMMENT ON COLUMN "escalation_rule_targets"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "schedules" IS 'One row per on-call schedule (key id), a full snapshot each run; its layers are in schedule_layers and their rotations in schedule_users.';
--> statement-breakpoint
COMMENT ON COLUMN "schedules"."id" IS 'PagerDuty schedule id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "schedules"."name" IS 'Schedule name.';
--> statement-breakpoint
COMMENT ON COLUMN "schedules"."description" IS 'Schedule description.';
--> statement-breakpoint
COMMENT ON COLUMN "schedules"."time_zone" IS 'The schedule''s IANA time zone; incident_metrics uses it as the responders'' zone for off_hours.';
--> statement-breakpoint
COMMENT ON COLUMN "schedules"."deleted_at" IS 'Set when a complete listing no longer had the schedule (UTC); cleared if it comes back.';
--> statement-breakpoint
COMMENT ON COLUMN "schedules"."raw" IS 'The whole schedule item (with its layers) as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "schedules"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "schedule_layers" IS 'One row per layer of a schedule (key id); a later layer overrides earlier ones where they overlap.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."id" IS 'PagerDuty schedule layer id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."schedule_id" IS 'The schedule (schedules.id).';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."position" IS '0-based order of the layer in the schedule, as the API lists them.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."name" IS 'Layer name.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."start_at" IS 'When the layer takes effect (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."end_at" IS 'When the layer stops (UTC); null when it has no end.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."rotation_virtual_start" IS 'The instant the rotation is computed from (UTC): the first user''s turn starts here.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."rotation_turn_length_seconds" IS 'Length of each user''s turn, in seconds (e.g. 604800 for a weekly rotation).';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_layers"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "schedule_users" IS 'One row per user slot in a layer''s rotation (key layer_id, position), in rotation order.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_users"."schedule_id" IS 'The schedule (schedules.id), repeated here for filtering.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_users"."layer_id" IS 'The layer (schedule_layers.id).';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_users"."position" IS '0-based place of the user in the layer''s rotation.';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_users"."user_id" IS 'The user (users.id).';
--> statement-breakpoint
COMMENT ON COLUMN "schedule_users"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "priorities" IS 'One row per incident priority (key id); plan-gated (empty when the account has priorities off).';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."id" IS 'PagerDuty priority id (primary key); incidents.priority_id points here.';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."name" IS 'Priority name, e.g. P1.';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."description" IS 'Priority description.';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."order" IS 'PagerDuty''s ordering value: higher is more severe.';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."color" IS 'Display colour (hex).';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."deleted_at" IS 'Set when a complete listing no longer had the priority (UTC); cleared if it comes back.';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."raw" IS 'The whole priority item as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "priorities"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "tags" IS 'One row per tag (key id). A label key:value is split at the first colon into tag_key and tag_value.';
--> statement-breakpoint
COMMENT ON COLUMN "tags"."id" IS 'PagerDuty tag id (primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "tags"."label" IS 'The tag label as written in PagerDuty, e.g. service:webshop.';
--> statement-breakpoint
COMMENT ON COLUMN "tags"."tag_key" IS 'The part before the first colon (service of service:webshop); the whole label when it has no colon.';
--> statement-breakpoint
COMMENT ON COLUMN "tags"."tag_value" IS 'The part after the first colon (webshop of service:webshop); null when the label has no colon.';
--> statement-breakpoint
COMMENT ON COLUMN "tags"."deleted_at" IS 'Set when a complete listing no longer had the tag (UTC); cleared if it comes back.';
--> statement-breakpoint
COMMENT ON COLUMN "tags"."raw" IS 'The whole tag item as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "tags"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "entity_tags" IS 'One row per tag on a user, team or escalation policy (key entity_type, entity_id, tag_id), the only kinds PagerDuty tags; services inherit tags through the service_tags view.';
--> statement-breakpoint
COMMENT ON COLUMN "entity_tags"."entity_type" IS 'users, teams or escalation_policies: which table entity_id points to.';
--> statement-breakpoint
COMMENT ON COLUMN "entity_tags"."entity_id" IS 'Id of the tagged user, team or escalation policy.';
--> statement-breakpoint
COMMENT ON COLUMN "entity_tags"."tag_id" IS 'The tag (tags.id).';
--> statement-breakpoint
COMMENT ON COLUMN "entity_tags"."tag_key" IS 'tags.tag_key, copied for filtering without a join.';
--> statement-breakpoint
COMMENT ON COLUMN "entity_tags"."tag_value" IS 'tags.tag_value, copied for filtering without a join; null for a label without a colon.';
--> statement-breakpoint
COMMENT ON COLUMN "entity_tags"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "incident_teams" IS 'One row per team of an incident (key incident_id, team_id), from the incident''s teams; replaced as a set on every read.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_teams"."incident_id" IS 'The incident (incidents.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_teams"."team_id" IS 'The team (teams.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_teams"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "incident_custom_fields" IS 'One row per custom field value of an incident (key incident_id, field_id), opt-in (SYNC_CUSTOM_FIELDS=true); unset fields have no row.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."incident_id" IS 'The incident (incidents.id); with field_id the primary key.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."field_id" IS 'PagerDuty id of the custom field definition.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."field_name" IS 'Name of the field, e.g. component or customer.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."field_type" IS 'single_value, single_value_fixed, multi_value or multi_value_fixed.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."data_type" IS 'string, integer, float, boolean, datetime or url.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."value" IS 'The value as the API sends it (jsonb): a scalar, or an array for multi-value fields.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."value_text" IS 'The value as text; arrays joined with ", ". Convenient for filters and GROUP BY.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_custom_fields"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "service_custom_fields" IS 'One row per custom field value of a service (key service_id, field_id), opt-in (SYNC_CUSTOM_FIELDS=true); unset fields have no row.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."service_id" IS 'The service (services.id); with field_id the primary key.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."field_id" IS 'PagerDuty id of the custom field definition.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."field_name" IS 'Name of the field, e.g. component or customer.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."field_type" IS 'single_value, single_value_fixed, multi_value or multi_value_fixed.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."data_type" IS 'string, integer, float, boolean, datetime or url.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."value" IS 'The value as the API sends it (jsonb): a scalar, or an array for multi-value fields.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."value_text" IS 'The value as text; arrays joined with ", ". Convenient for filters and GROUP BY.';
--> statement-breakpoint
COMMENT ON COLUMN "service_custom_fields"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "analytics_incidents" IS 'One row per incident as PagerDuty Analytics reports it (key id = incidents.id), opt-in (SYNC_ANALYTICS=true). Times are UTC; durations are whole seconds computed by PagerDuty.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."id" IS 'PagerDuty incident id (primary key); equals incidents.id.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."incident_number" IS 'The incident number.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."created_at" IS 'When the incident was created (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."updated_at" IS 'When the analytics pipeline last processed the incident (UTC), not the incident''s own updated_at; the sync''s incremental cursor.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."resolved_at" IS 'When the incident was resolved (UTC), as analytics knows it; null while open.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."status" IS 'Status as analytics last saw it: triggered, acknowledged or resolved.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."urgency" IS 'high or low.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."major" IS 'Whether PagerDuty counts it as a major incident.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."service_id" IS 'The service (services.id).';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."team_id" IS 'The team analytics attributes the incident to (teams.id); null when none.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."escalation_policy_id" IS 'The escalation policy (escalation_policies.id).';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."priority_id" IS 'The priority (priorities.id); null when none.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."priority_name" IS 'The priority''s name, e.g. P1; null when none.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."incident_type_id" IS 'PagerDuty incident type id, when the account uses incident types.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."seconds_to_first_ack" IS 'Seconds from creation to the first acknowledgement; null if never acknowledged.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."seconds_to_engage" IS 'Seconds from creation until the first responder engaged, as PagerDuty Analytics defines it.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."seconds_to_mobilize" IS 'Seconds from creation until responders were mobilized, as PagerDuty Analytics defines it.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."seconds_to_resolve" IS 'Seconds from creation to resolution; null while open.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."engaged_seconds" IS 'Total seconds responders spent engaged on the incident, summed over users.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."engaged_user_count" IS 'Number of users who engaged with the incident.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."active_user_count" IS 'Number of users who took an action on the incident.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."snoozed_seconds" IS 'Total seconds the incident was snoozed.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."user_defined_effort_seconds" IS 'Effort entered by users, in seconds.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."acknowledgement_count" IS 'Number of acknowledgements.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."assignment_count" IS 'Number of assignments.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."escalation_count" IS 'Number of escalations, manual and timeout.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."manual_escalation_count" IS 'Escalations made by a user.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."timeout_escalation_count" IS 'Escalations made because the escalation delay ran out.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."reassignment_count" IS 'Number of reassignments.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."auto_resolved" IS 'Whether the incident was resolved automatically (integration or auto-resolve timeout) rather than by a user.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."resolved_by_user_id" IS 'The user who resolved it (users.id); null when not resolved by a user.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."business_hour_interruptions" IS 'Notifications that interrupted responders during business hours (PagerDuty''s classification, in each user''s time zone).';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."off_hour_interruptions" IS 'Notifications that interrupted responders outside business hours (not sleep hours).';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."sleep_hour_interruptions" IS 'Notifications that interrupted responders during sleep hours.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."total_interruptions" IS 'All interruptions: business, off and sleep hours.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."total_notifications" IS 'Notifications sent for the incident.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."acknowledged_user_ids" IS 'Ids of users who acknowledged it (jsonb array of users.id, PagerDuty''s order).';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."assigned_user_ids" IS 'Ids of users it was assigned to (jsonb array of users.id, PagerDuty''s order).';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."raw" IS 'The whole analytics record as the API sent it (unknown keys kept); query it for fields without a column.';
--> statement-breakpoint
COMMENT ON COLUMN "analytics_incidents"."synced_at" IS 'When the row last changed in the warehouse (UTC); an unchanged re-read leaves it as it was.';
--> statement-breakpoint
COMMENT ON TABLE "sync_state" IS 'One checkpoint row per synced resource (key resource): how far the warehouse is complete for it.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_state"."resource" IS 'Resource name (primary key), e.g. incidents, log_entries, oncalls, analytics_incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_state"."cursor" IS 'Everything before this instant (UTC) is in the warehouse; null until a first window finished. For oncalls, the time shifts are known up to.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_state"."extra" IS 'Resource-specific state beside the cursor (jsonb), e.g. incident ids the log feed still owes a re-read, or a resumable analytics pass.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_state"."updated_at" IS 'When the checkpoint was last written (UTC).';
--> statement-breakpoint
COMMENT ON TABLE "sync_runs" IS 'One row per pd-warehouse sync run (key id), with per-resource counts and errors.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."id" IS 'Run id (identity, ascending; primary key); sync_windows.run_id points here.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."started_at" IS 'When the run started (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."finished_at" IS 'When the run finished (UTC); null while running or after a crash.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."status" IS 'running, succeeded, failed, partial or skipped (another run held the lock).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."resources" IS 'Per resource name (jsonb object): status (succeeded, failed, skipped, unavailable on this plan, deferred by a quota) and fetched, written, pages, windows, rejected, error.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."requests" IS 'HTTP requests sent to PagerDuty during the run.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."retries" IS 'Requests retried after a 429, 5xx, reset or timeout.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."rate_limited" IS '429 answers met during the run.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_runs"."error" IS 'Why the run failed, in one line; null otherwise.';
--> statement-breakpoint
COMMENT ON TABLE "sync_windows" IS 'One row per committed time window [window_start, window_end) of an incremental resource (key id); the history of how the data was read.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."id" IS 'Window id (identity; primary key).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."run_id" IS 'The run that read the window (sync_runs.id).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."resource" IS 'Resource name (sync_state.resource).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."window_start" IS 'Window start, inclusive (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."window_end" IS 'Window end, exclusive (UTC); the cursor may move up to here once the window is committed.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."pages" IS 'API pages read for the window.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."rows" IS 'Records the API listed in the window (what the offset cap counts), not rows written across tables.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."split_depth" IS 'How many times the window was halved to stay under the 10,000-record offset cap (0 = never).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_windows"."finished_at" IS 'When the window was committed (UTC).';
--> statement-breakpoint
COMMENT ON VIEW "incident_acknowledgements" IS 'One row per acknowledgement of an incident by a user, from acknowledge_log_entry rows of log_entries (an incident may have several).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_acknowledgements"."incident_id" IS 'The incident (incidents.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_acknowledgements"."user_id" IS 'The user who acknowledged (users.id; log_entries.agent_id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_acknowledgements"."acknowledged_at" IS 'When the user acknowledged (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_acknowledgements"."log_entry_id" IS 'The acknowledge_log_entry behind the row (log_entries.id).';
--> statement-breakpoint
COMMENT ON VIEW "incident_priority_changes" IS 'One row per priority change of an incident, from priority_change_log_entry rows of log_entries; names are parsed from the entry''s summary.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_priority_changes"."incident_id" IS 'The incident (incidents.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_priority_changes"."changed_at" IS 'When the priority changed (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_priority_changes"."agent_id" IS 'Who changed it (users.id for a user).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_priority_changes"."log_entry_id" IS 'The priority_change_log_entry behind the row (log_entries.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_priority_changes"."from_priority" IS 'Priority name before the change; none when there was none; null if the summary could not be parsed.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_priority_changes"."to_priority" IS 'Priority name after the change; none when it was removed; null if the summary could not be parsed.';
--> statement-breakpoint
COMMENT ON VIEW "service_tags" IS 'One row per tag a service inherits (service_id, tag_key, tag_value), from its escalation policy and from its teams: PagerDuty does not tag services themselves.';
--> statement-breakpoint
COMMENT ON COLUMN "service_tags"."service_id" IS 'The service (services.id).';
--> statement-breakpoint
COMMENT ON COLUMN "service_tags"."service_key" IS 'The service''s join key (services.service_key).';
--> statement-breakpoint
COMMENT ON COLUMN "service_tags"."tag_key" IS 'Tag key (tags.tag_key).';
--> statement-breakpoint
COMMENT ON COLUMN "service_tags"."tag_value" IS 'Tag value (tags.tag_value); null for a label without a colon.';
--> statement-breakpoint
COMMENT ON COLUMN "service_tags"."inherited_from" IS 'escalation_policy or team: where the tag came from (the policy wins when both carry it).';
--> statement-breakpoint
COMMENT ON VIEW "service_keys" IS 'One row per service (key service_id) with the join keys other tools need: service_key, its owning team and team_key, env and every inherited tag.';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."service_id" IS 'The service (services.id).';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."service_name" IS 'The service name.';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."service_key" IS 'Join key of the service (services.service_key, from SERVICE_KEY_SOURCE or the name''s slug).';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."team_id" IS 'Owning team (teams.id): the first team listed on the service, else the first of its escalation policy''s teams; null when none.';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."team_key" IS 'Join key of the owning team (teams.team_key); null when no team.';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."env" IS 'Value of the inherited env: tag, else environment: tag; null when neither.';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."tags" IS 'Every inherited tag as a jsonb object tag_key to tag_value, one value per key (the escalation policy''s first).';
--> statement-breakpoint
COMMENT ON COLUMN "service_keys"."deleted_at" IS 'services.deleted_at: set when the service is gone from PagerDuty.';
--> statement-breakpoint
COMMENT ON VIEW "service_links" IS 'One row per distinct URL found in a service description (service_id, url), classified as repository, dashboard, runbook or other.';
--> statement-breakpoint
COMMENT ON COLUMN "service_links"."service_id" IS 'The service (services.id).';
--> statement-breakpoint
COMMENT ON COLUMN "service_links"."url" IS 'The http(s) URL as written, trailing punctuation removed.';
--> statement-breakpoint
COMMENT ON COLUMN "service_links"."kind" IS 'repository (GitHub, GitLab, Bitbucket), dashboard (Grafana, Datadog and similar), runbook (runbook or playbook URLs, wikis) or other.';
--> statement-breakpoint
COMMENT ON COLUMN "service_links"."host" IS 'Host name of the URL, lower-case.';
--> statement-breakpoint
COMMENT ON COLUMN "service_links"."path" IS 'Path of the URL without query or fragment; / when none.';
--> statement-breakpoint
COMMENT ON VIEW "incident_metrics" IS 'One row per incident (key incident_id) with what MTTA/MTTR and on-call reviews need: keys, first acknowledgement, durations in seconds, escalations, reassignments, off hours and common custom fields.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."incident_id" IS 'The incident (incidents.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."incident_number" IS 'The incident number.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."title" IS 'Incident title.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."status" IS 'triggered, acknowledged or resolved.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."urgency" IS 'high or low.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."service_id" IS 'The service (services.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."service_key" IS 'The service''s join key (services.service_key).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."service_name" IS 'The service name.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."team_id" IS 'The incident''s team (incident_teams.team_id; the lowest id when it has several); null when none.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."team_key" IS 'The team''s join key (teams.team_key).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."priority_id" IS 'The priority (priorities.id); null when none.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."priority_name" IS 'The priority name; null when none.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."priority_order" IS 'priorities.order: higher is more severe.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."escalation_policy_id" IS 'The escalation policy (escalation_policies.id).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."created_at" IS 'When the incident was triggered (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."first_ack_at" IS 'The first acknowledgement (incidents.acknowledged_at, from the log, kept after resolve); null if never acknowledged.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."resolved_at" IS 'When the incident was resolved (UTC); null while open.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."seconds_to_first_ack" IS 'first_ack_at - created_at in seconds (time to acknowledge); null if never acknowledged.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."seconds_to_resolve" IS 'resolved_at - created_at in seconds (time to resolve); null while open.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."was_escalated" IS 'True when the log has at least one escalate_log_entry.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."escalation_count" IS 'Number of escalate_log_entry rows (timeout and manual escalations).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."reassignment_count" IS 'Number of assign_log_entry rows made by a user (manual reassignments).';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."time_zone" IS 'The responders'' time zone: that of the first schedule the escalation policy pages (lowest level, first target), else UTC.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."off_hours" IS 'True when created outside Monday to Friday 09:00-18:00 in time_zone.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."custom_service" IS 'Value of the incident custom field named service (case-insensitive); null when unset or custom fields are not synced.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."component" IS 'Value of the incident custom field named component; null when unset.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."customer" IS 'Value of the incident custom field named customer; null when unset.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."severity" IS 'Value of the incident custom field named severity; null when unset.';
--> statement-breakpoint
COMMENT ON COLUMN "incident_metrics"."runbook" IS 'Value of the incident custom field named runbook; null when unset.';
--> statement-breakpoint
COMMENT ON VIEW "mttr_by_service_week" IS 'One row per service and ISO week of creation (UTC, weeks start Monday): incident counts and MTTA/MTTR mean, median and p90 in seconds.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."service_id" IS 'The service (services.id).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."service_key" IS 'The service''s join key.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."service_name" IS 'The service name.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."week_start" IS 'Monday that starts the ISO week of creation, in UTC.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."iso_week" IS 'The ISO week of creation in UTC, e.g. 2026-W07.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."incidents" IS 'Incidents created in the week (for this service).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."acknowledged" IS 'How many of them have a first acknowledgement.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."resolved" IS 'How many of them are resolved.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."mtta_mean_seconds" IS 'Mean time to first acknowledgement, in seconds, over the acknowledged incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."mtta_median_seconds" IS 'Median time to first acknowledgement, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."mtta_p90_seconds" IS '90th percentile of the time to first acknowledgement, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."mttr_mean_seconds" IS 'Mean time to resolve (resolved_at - created_at), in seconds, over the resolved incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."mttr_median_seconds" IS 'Median time to resolve, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_service_week"."mttr_p90_seconds" IS '90th percentile of the time to resolve, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON VIEW "mttr_by_team_week" IS 'One row per team and ISO week of creation (UTC, weeks start Monday): MTTA/MTTR in seconds; an incident with several teams counts for each.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."team_id" IS 'The team (incident_teams.team_id).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."team_key" IS 'The team''s join key (teams.team_key); null when the team is not in teams.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."team_name" IS 'The team name; null when the team is not in teams.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."week_start" IS 'Monday that starts the ISO week of creation, in UTC.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."iso_week" IS 'The ISO week of creation in UTC, e.g. 2026-W07.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."incidents" IS 'Incidents created in the week (for this team).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."acknowledged" IS 'How many of them have a first acknowledgement.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."resolved" IS 'How many of them are resolved.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."mtta_mean_seconds" IS 'Mean time to first acknowledgement, in seconds, over the acknowledged incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."mtta_median_seconds" IS 'Median time to first acknowledgement, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."mtta_p90_seconds" IS '90th percentile of the time to first acknowledgement, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."mttr_mean_seconds" IS 'Mean time to resolve (resolved_at - created_at), in seconds, over the resolved incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."mttr_median_seconds" IS 'Median time to resolve, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_team_week"."mttr_p90_seconds" IS '90th percentile of the time to resolve, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON VIEW "mttr_by_priority_month" IS 'One row per priority and calendar month of creation (UTC): MTTA/MTTR in seconds; incidents without a priority form the none row.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."priority_id" IS 'The priority (priorities.id); null for incidents without one.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."priority_name" IS 'The priority name; none for incidents without a priority.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."priority_order" IS 'priorities.order: higher is more severe; null for none.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."month_start" IS 'First day of the month of creation, in UTC.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."month" IS 'Month of creation in UTC, as YYYY-MM.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."incidents" IS 'Incidents created in the month (with this priority).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."acknowledged" IS 'How many of them have a first acknowledgement.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."resolved" IS 'How many of them are resolved.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."mtta_mean_seconds" IS 'Mean time to first acknowledgement, in seconds, over the acknowledged incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."mtta_median_seconds" IS 'Median time to first acknowledgement, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."mtta_p90_seconds" IS '90th percentile of the time to first acknowledgement, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."mttr_mean_seconds" IS 'Mean time to resolve (resolved_at - created_at), in seconds, over the resolved incidents.';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."mttr_median_seconds" IS 'Median time to resolve, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON COLUMN "mttr_by_priority_month"."mttr_p90_seconds" IS '90th percentile of the time to resolve, in seconds (continuous percentile).';
--> statement-breakpoint
COMMENT ON VIEW "oncall_hours_by_user_week" IS 'One row per user and ISO week (UTC, weeks start Monday) with the hours on call: overlapping shifts count once, shifts are cut at the on-call cursor, permanent on-calls are left out.';
--> statement-breakpoint
COMMENT ON COLUMN "oncall_hours_by_user_week"."user_id" IS 'The user (users.id).';
--> statement-breakpoint
COMMENT ON COLUMN "oncall_hours_by_user_week"."user_name" IS 'The user name; null when the user is not in users.';
--> statement-breakpoint
COMMENT ON COLUMN "oncall_hours_by_user_week"."week_start" IS 'Monday that starts the ISO week, in UTC.';
--> statement-breakpoint
COMMENT ON COLUMN "oncall_hours_by_user_week"."iso_week" IS 'The ISO week in UTC, e.g. 2026-W07.';
--> statement-breakpoint
COMMENT ON COLUMN "oncall_hours_by_user_week"."shifts" IS 'Number of merged on-call spans (overlapping shifts joined) that fall in the week.';
--> statement-breakpoint
COMMENT ON COLUMN "oncall_hours_by_user_week"."hours" IS 'Hours on call in the week (from oncalls, up to sync_state.cursor of oncalls).';
--> statement-breakpoint
COMMENT ON VIEW "sync_freshness" IS 'One row per resource in sync_state (key resource): how far the warehouse is complete, how old that is and how its last runs went.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_freshness"."resource" IS 'Resource name (sync_state.resource).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_freshness"."cursor" IS 'Everything before this instant (UTC) is in the warehouse for the resource.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_freshness"."age_seconds" IS 'now() - cursor, in seconds: how stale the resource is.';
--> statement-breakpoint
COMMENT ON COLUMN "sync_freshness"."last_success_at" IS 'When the last run in which the resource succeeded finished (UTC).';
--> statement-breakpoint
COMMENT ON COLUMN "sync_freshness"."last_run_status" IS 'The resource''s status in the latest run that included it: succeeded, failed, skipped, unavailable or deferred.';
