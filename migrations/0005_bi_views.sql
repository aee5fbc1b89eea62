-- Views for analysts and BI tools (issue 5): join keys shared with other tools, per-incident metrics,
-- MTTA/MTTR rollups, on-call load and data freshness. Unqualified names: the connection's search_path
-- picks the account's schema. Times are UTC; weeks are ISO weeks (Monday) in UTC; seconds are double
-- precision; medians and p90 are continuous percentiles (percentile_cont).

-- Tags a service inherits: from its escalation policy (rank 1) and from its teams (rank 2).
CREATE VIEW "service_tags" AS
SELECT DISTINCT ON (x.service_id, x.tag_key, x.tag_value)
	x.service_id, s.service_key, x.tag_key, x.tag_value, x.inherited_from
FROM (
	SELECT s.id AS service_id, et.tag_key, et.tag_value, 'escalation_policy' AS inherited_from, 1 AS rank
	FROM "services" s
	JOIN "entity_tags" et ON et.entity_type = 'escalation_policies' AND et.entity_id = s.escalation_policy_id
	UNION ALL
	SELECT s.id, et.tag_key, et.tag_value, 'team', 2
	FROM "services" s
	CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.raw -> 'teams') = 'array'
		THEN s.raw -> 'teams' ELSE '[]'::jsonb END) AS team(ref)
	JOIN "entity_tags" et ON et.entity_type = 'teams' AND et.entity_id = team.ref ->> 'id'
) x
JOIN "services" s ON s.id = x.service_id
ORDER BY x.service_id, x.tag_key, x.tag_value, x.rank;
--> statement-breakpoint
-- One row per service: its join keys, its owning team (the first team listed on the service, else the
-- first of its escalation policy's), env (an inherited env:/environment: tag) and every inherited tag.
CREATE VIEW "service_keys" AS
WITH owner AS (
	SELECT s.id AS service_id,
		coalesce(s.raw -> 'teams' -> 0 ->> 'id', ep.raw -> 'teams' -> 0 ->> 'id') AS team_id
	FROM "services" s
	LEFT JOIN "escalation_policies" ep ON ep.id = s.escalation_policy_id
),
tag_object AS (
	SELECT service_id, jsonb_object_agg(tag_key, tag_value ORDER BY tag_key) AS tags
	FROM (
		SELECT DISTINCT ON (service_id, tag_key) service_id, tag_key, tag_value
		FROM "service_tags"
		ORDER BY service_id, tag_key, CASE inherited_from WHEN 'escalation_policy' THEN 1 ELSE 2 END, tag_value
	) first_value_per_key
	GROUP BY service_id
)
SELECT
	s.id AS service_id,
	s.name AS service_name,
	s.service_key,
	o.team_id,
	t.team_key,
	coalesce(tg.tags ->> 'env', tg.tags ->> 'environment') AS env,
	coalesce(tg.tags, '{}'::jsonb) AS tags,
	s.deleted_at
FROM "services" s
JOIN owner o ON o.service_id = s.id
LEFT JOIN "teams" t ON t.id = o.team_id
LEFT JOIN tag_object tg ON tg.service_id = s.id;
--> statement-breakpoint
-- Links found in service descriptions (repository, dashboard, runbook), one row per distinct URL.
CREATE VIEW "service_links" AS
WITH found AS (
	SELECT DISTINCT s.id AS service_id,
		regexp_replace(m[1], '[.,;:!?]+$', '') AS url
	FROM "services" s
	CROSS JOIN LATERAL regexp_matches(coalesce(s.description, ''), '(https?://[^[:space:]<>()"''\[\]]+)', 'g') AS m
),
parts AS (
	SELECT service_id, url,
		lower(substring(url FROM '^https?://([^/:?#]+)')) AS host,
		coalesce(substring(url FROM '^https?://[^/?#]+(/[^?#]*)'), '/') AS path
	FROM found
)
SELECT service_id, url,
	CASE
		WHEN url ~* '(runbook|playbook)' THEN 'runbook'
		WHEN host ~ '(^|\.)(github\.com|gitlab\.com|bitbucket\.org)$' OR host ~ '^(github|gitlab|bitbucket)\.' THEN 'repository'
		WHEN host ~ '(grafana|datadog|kibana|newrelic|honeycomb|signalfx|splunk|dynatrace|lightstep)' OR path ~* '(^/d/|/dashboards?(/|$))' THEN 'dashboard'
		WHEN host ~ '(wiki|confluence|notion)' THEN 'runbook'
		ELSE 'other'
	END AS kind,
	host, path
FROM parts;
--> statement-breakpoint
-- One row per incident with what MTTA/MTTR and on-call reviews need.
CREATE VIEW "incident_metrics" AS
WITH log AS (
	SELECT incident_id,
		count(*) FILTER (WHERE type = 'escalate_log_entry')::int AS escalation_count,
		count(*) FILTER (WHERE type = 'assign_log_entry' AND agent_type = 'user_reference')::int AS reassignment_count
	FROM "log_entries"
	GROUP BY incident_id
),
custom AS (
	SELECT incident_id,
		max(value_text) FILTER (WHERE lower(field_name) = 'service') AS custom_service,
		max(value_text) FILTER (WHERE lower(field_name) = 'component') AS component,
		max(value_text) FILTER (WHERE lower(field_name) = 'customer') AS customer,
		max(value_text) FILTER (WHERE lower(field_name) = 'severity') AS severity,
		max(value_text) FILTER (WHERE lower(field_name) = 'runbook') AS runbook
	FROM "incident_custom_fields"
	GROUP BY incident_id
),
-- The responders' time zone: that of the first schedule the escalation policy pages (lowest level, first target).
policy_zone AS (
	SELECT DISTINCT ON (r.escalation_policy_id) r.escalation_policy_id, sc.time_zone
	FROM "escalation_rules" r
	JOIN "escalation_rule_targets" tg ON tg.escalation_rule_id = r.id AND tg.target_type = 'schedule'
	JOIN "schedules" sc ON sc.id = tg.target_id
	WHERE sc.time_zone IS NOT NULL
	ORDER BY r.escalation_policy_id, r.level, tg.position
),
first_team AS (
	SELECT incident_id, min(team_id) AS team_id FROM "incident_teams" GROUP BY incident_id
),
base AS (
	SELECT i.*, coalesce(pz.time_zone, 'UTC') AS zone
	FROM "incidents" i
	LEFT JOIN policy_zone pz ON pz.escalation_policy_id = i.escalation_policy_id
)
SELECT
	i.id AS incident_id,
	i.incident_number,
	i.title,
	i.status,
	i.urgency,
	i.service_id,
	s.service_key,
	s.name AS service_name,
	ft.team_id,
	t.team_key,
	i.priority_id,
	p.name AS priority_name,
	p."order" AS priority_order,
	i.escalation_policy_id,
	i.created_at,
	i.acknowledged_at AS first_ack_at,
	i.resolved_at,
	extract(epoch FROM i.acknowledged_at - i.created_at)::double precision AS seconds_to_first_ack,
	extract(epoch FROM i.resolved_at - i.created_at)::double precision AS seconds_to_resolve,
	coalesce(l.escalation_count, 0) > 0 AS was_escalated,
	coalesce(l.escalation_count, 0) AS escalation_count,
	coalesce(l.reassignment_count, 0) AS reassignment_count,
	i.zone AS time_zone,
	-- Off hours: outside Monday–Friday 09:00–18:00 in the responders' time zone.
	(extract(isodow FROM i.created_at AT TIME ZONE i.zone) > 5
		OR (i.created_at AT TIME ZONE i.zone)::time < time '09:00'
		OR (i.created_at AT TIME ZONE i.zone)::time >= time '18:00') AS off_hours,
	c.custom_service,
	c.component,
	c.customer,
	c.severity,
	c.runbook
FROM base i
LEFT JOIN "services" s ON s.id = i.service_id
LEFT JOIN first_team ft ON ft.incident_id = i.id
LEFT JOIN "teams" t ON t.id = ft.team_id
LEFT JOIN "priorities" p ON p.id = i.priority_id
LEFT JOIN log l ON l.incident_id = i.id
LEFT JOIN custom c ON c.incident_id = i.id;
--> statement-breakpoint
CREATE VIEW "mttr_by_service_week" AS
SELECT
	m.service_id,
	m.service_key,
	m.service_name,
	date_trunc('week', m.created_at AT TIME ZONE 'UTC')::date AS week_start,
	to_char(m.created_at AT TIME ZONE 'UTC', 'IYYY-"W"IW') AS iso_week,
	count(*)::int AS incidents,
	count(m.first_ack_at)::int AS acknowledged,
	count(m.resolved_at)::int AS resolved,
	avg(m.seconds_to_first_ack) AS mtta_mean_seconds,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY m.seconds_to_first_ack) AS mtta_median_seconds,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY m.seconds_to_first_ack) AS mtta_p90_seconds,
	avg(m.seconds_to_resolve) AS mttr_mean_seconds,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY m.seconds_to_resolve) AS mttr_median_seconds,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY m.seconds_to_resolve) AS mttr_p90_seconds
FROM "incident_metrics" m
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
CREATE VIEW "mttr_by_team_week" AS
SELECT
	it.team_id,
	t.team_key,
	t.name AS team_name,
	date_trunc('week', m.created_at AT TIME ZONE 'UTC')::date AS week_start,
	to_char(m.created_at AT TIME ZONE 'UTC', 'IYYY-"W"IW') AS iso_week,
	count(*)::int AS incidents,
	count(m.first_ack_at)::int AS acknowledged,
	count(m.resolved_at)::int AS resolved,
	avg(m.seconds_to_first_ack) AS mtta_mean_seconds,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY m.seconds_to_first_ack) AS mtta_median_seconds,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY m.seconds_to_first_ack) AS mtta_p90_seconds,
	avg(m.seconds_to_resolve) AS mttr_mean_seconds,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY m.seconds_to_resolve) AS mttr_median_seconds,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY m.seconds_to_resolve) AS mttr_p90_seconds
FROM "incident_metrics" m
JOIN "incident_teams" it ON it.incident_id = m.incident_id
LEFT JOIN "teams" t ON t.id = it.team_id
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
CREATE VIEW "mttr_by_priority_month" AS
SELECT
	m.priority_id,
	coalesce(m.priority_name, 'none') AS priority_name,
	m.priority_order,
	date_trunc('month', m.created_at AT TIME ZONE 'UTC')::date AS month_start,
	to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
	count(*)::int AS incidents,
	count(m.first_ack_at)::int AS acknowledged,
	count(m.resolved_at)::int AS resolved,
	avg(m.seconds_to_first_ack) AS mtta_mean_seconds,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY m.seconds_to_first_ack) AS mtta_median_seconds,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY m.seconds_to_first_ack) AS mtta_p90_seconds,
	avg(m.seconds_to_resolve) AS mttr_mean_seconds,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY m.seconds_to_resolve) AS mttr_median_seconds,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY m.seconds_to_resolve) AS mttr_p90_seconds
FROM "incident_metrics" m
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
-- Hours each user was on call per ISO week: overlapping shifts (several policies or levels pointing at the
-- same schedule) count once; shifts are cut at the time the warehouse knows on-calls up to (the on-call
-- cursor); permanent on-calls (no start or end) are left out.
CREATE VIEW "oncall_hours_by_user_week" AS
WITH known AS (
	SELECT cursor AS until FROM "sync_state" WHERE resource = 'oncalls'
),
spans AS (
	SELECT o.user_id, tstzrange(o.start_at, least(o.end_at, k.until)) AS span
	FROM "oncalls" o CROSS JOIN known k
	WHERE o.start_at IS NOT NULL AND o.end_at IS NOT NULL AND o.start_at < k.until
),
merged AS (
	SELECT user_id, unnest(range_agg(span)) AS span FROM spans GROUP BY user_id
),
weekly AS (
	SELECT m.user_id, w.week, m.span * tstzrange(w.week AT TIME ZONE 'UTC', (w.week + interval '1 week') AT TIME ZONE 'UTC') AS part
	FROM merged m
	CROSS JOIN LATERAL generate_series(
		date_trunc('week', lower(m.span) AT TIME ZONE 'UTC'),
		upper(m.span) AT TIME ZONE 'UTC',
		interval '1 week') AS w(week)
)
SELECT
	w.user_id,
	u.name AS user_name,
	w.week::date AS week_start,
	to_char(w.week, 'IYYY-"W"IW') AS iso_week,
	count(*)::int AS shifts,
	sum(extract(epoch FROM upper(w.part) - lower(w.part)))::double precision / 3600 AS hours
FROM weekly w
LEFT JOIN "users" u ON u.id = w.user_id
WHERE NOT isempty(w.part)
GROUP BY w.user_id, u.name, w.week;
--> statement-breakpoint
-- Per resource: how far the warehouse is complete (its cursor), how old that is, and how its runs went.
CREATE VIEW "sync_freshness" AS
SELECT
	st.resource,
	st.cursor,
	extract(epoch FROM now() - st.cursor)::double precision AS age_seconds,
	(SELECT max(r.finished_at) FROM "sync_runs" r
	  WHERE r.resources -> st.resource ->> 'status' = 'succeeded') AS last_success_at,
	(SELECT r.resources -> st.resource ->> 'status' FROM "sync_runs" r
	  WHERE r.resources ? st.resource ORDER BY r.id DESC LIMIT 1) AS last_run_status
FROM "sync_state" st;
