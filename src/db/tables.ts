/**
 * Every drizzle table of the warehouse in one object: the `schema` handed to drizzle (typed queries,
 * `db.query.*`). Kept outside `schema/` so drizzle-kit does not see each table twice.
 */
import {
  entityTags,
  escalationPolicies,
  escalationRules,
  escalationRuleTargets,
  incidentCustomFields,
  incidentTeams,
  priorities,
  scheduleLayers,
  schedules,
  scheduleUsers,
  serviceCustomFields,
  tags,
  teamMembers,
  teams,
  users,
} from './schema/account.js';
import { analyticsIncidents } from './schema/analytics.js';
import { incidentAssignments, incidents, logEntries, oncalls, services } from './schema/pagerduty.js';
import { syncRejects, syncRuns, syncState, syncWindows } from './schema/sync.js';

export const tables = {
  incidents,
  incidentAssignments,
  logEntries,
  services,
  oncalls,
  teams,
  teamMembers,
  users,
  escalationPolicies,
  escalationRules,
  escalationRuleTargets,
  schedules,
  scheduleLayers,
  scheduleUsers,
  priorities,
  tags,
  entityTags,
  incidentTeams,
  incidentCustomFields,
  serviceCustomFields,
  analyticsIncidents,
  syncState,
  syncRuns,
  syncWindows,
  syncRejects,
};

export type Tables = typeof tables;
