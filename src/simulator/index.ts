/** The PagerDuty look-alike: account generator, REST and Events API server, clock, faults and ground truth. */
export { Account, type AccountOptions } from './account.js';
export { startSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './server.js';
export { advanceClock, type AdvanceOptions, type AdvanceReport } from './evolve.js';
export {
  computeTruth,
  type Truth,
  type IncidentTruth,
  type ServiceWeekTruth,
  type TruthCounts,
  type Distribution,
} from './truth.js';
export type * from './truthRows.js';
export { parseTag } from './truthTables.js';
export { type Abilities } from './apiReference.js';
export { ANALYTICS_LAG_MAX_MINUTES, ANALYTICS_LAG_MIN_MINUTES } from './analytics.js';
export type { CustomFieldDef, CustomFieldDataType, CustomFieldType } from './customFields.js';
export type { FieldChange } from './deletions.js';
export type { CustomFieldValue } from './model.js';
export { PRESETS, isPresetName, type PresetName } from './presets.js';
export { DEFAULT_FAULTS, type FaultConfig, type FaultKind } from './faults.js';
export { EventsReceiver, type ReceivedEvent } from './events.js';
export { slugify } from './reference.js';
