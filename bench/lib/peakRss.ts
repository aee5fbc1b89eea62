/**
 * This process's peak RSS in bytes: VmHWM from /proc/self/status. Not `process.resourceUsage().maxRSS`:
 * Linux carries ru_maxrss over from the parent at fork, so a child spawned by a bench process that once
 * held gigabytes (the COPY reference) would report the parent's peak, not its own. VmHWM belongs to the
 * address space the child got at exec. Falls back to maxRSS where /proc is missing.
 */
import { readFileSync } from 'node:fs';

export function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) * 1024;
  } catch {
    // not Linux: the portable figure
  }
  return process.resourceUsage().maxRSS * 1024;
}
