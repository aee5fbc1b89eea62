/** The PagerDuty look-alike: account generator, REST and Events API server, clock, faults and ground truth. */
export { Account, type AccountOptions } from './account.js';
export { startSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './server.js';
export { advanceClock, type AdvanceOptions, type AdvanceReport } from './evolve.js';
export { computeTruth, type Truth, type IncidentTruth, type ServiceWeekTruth } from './truth.js';
export { PRESETS, isPresetName, type PresetName } from './presets.js';
export { DEFAULT_FAULTS, type FaultConfig, type FaultKind } from './faults.js';
export { EventsReceiver, type ReceivedEvent } from './events.js';
export { slugify } from './reference.js';
