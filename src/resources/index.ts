import { incidents } from './incidents.js';
import { logEntries } from './logEntries.js';
import { oncalls } from './oncalls.js';
import { services } from './services.js';

/** Every resource, in the order a run syncs them: reference data first, then facts. */
export const REGISTRY = [services, incidents, logEntries, oncalls] as const;

export { incidents, logEntries, oncalls, services };
