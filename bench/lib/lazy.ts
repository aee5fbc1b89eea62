/**
 * Whether the simulator can generate an account lazily (`startSimulator({ lazy: true })`, CLI `--lazy`).
 * Detected from the CLI's usage text, which documents every option the simulator takes.
 */
import { SIMULATOR_USAGE } from '../../src/cli/simulatorCommand.js';

export function lazySimulatorAvailable(): boolean {
  return /--lazy\b/.test(SIMULATOR_USAGE);
}
