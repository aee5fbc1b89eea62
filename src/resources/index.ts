import { escalationPolicies } from './escalationPolicies.js';
import { incidents } from './incidents.js';
import { logEntries } from './logEntries.js';
import { oncalls } from './oncalls.js';
import { priorities } from './priorities.js';
import { schedules } from './schedules.js';
import { services } from './services.js';
import { tags } from './tags.js';
import { teams } from './teams.js';
import { users } from './users.js';

/**
 * Every resource, in the order a run syncs them: reference data first, then facts, and every source of a
 * DetailSignal before the resource that declares it.
 */
export const REGISTRY = [
  // Users before teams: a change in a user's `teams` list is what tells the teams whose members to re-read.
  users,
  teams,
  escalationPolicies,
  schedules,
  priorities,
  tags,
  services,
  incidents,
  logEntries,
  oncalls,
] as const;

export {
  escalationPolicies,
  incidents,
  logEntries,
  oncalls,
  priorities,
  schedules,
  services,
  tags,
  teams,
  users,
};
