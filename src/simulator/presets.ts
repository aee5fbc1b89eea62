/** Account sizes the simulator can generate. Counts are targets; the generator lands within a few percent. */
export interface PresetSpec {
  /** Background incidents spread over `days`. */
  incidents: number;
  /** History length in days, ending at the simulator's clock. */
  days: number;
  services: number;
  teams: number;
  users: number;
  /** An alert storm: `incidents` created within `hours` hours of one UTC day, `daysAgo` days back. */
  burst?: { incidents: number; hours: number; daysAgo: number };
}

export const PRESETS = {
  small: { incidents: 300, days: 120, services: 3, teams: 2, users: 12 },
  large: { incidents: 5000, days: 400, services: 20, teams: 6, users: 60 },
  burst: {
    incidents: 400,
    days: 30,
    services: 8,
    teams: 3,
    users: 24,
    burst: { incidents: 25_000, hours: 6, daysAgo: 3 },
  },
} as const satisfies Record<string, PresetSpec>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
