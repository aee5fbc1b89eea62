/**
 * CPU time of the processes a bench run involves, read from /proc (Linux): the sync child, the simulator
 * child and the local Postgres server. On a machine with few cores these share the cores, so their sum,
 * not any one of them, can be what sets the wall time; the unthrottled section reports both.
 *
 * Postgres's CPU is the server's: every process under the postmaster (live backends, the WAL writer, the
 * checkpointer) plus what exited backends left in the postmaster's cutime/cstime. Null when the server is
 * not a process of this machine that /proc shows (a remote database, another OS).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the command name (field 3 onwards), or null when it is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime + stime of `pid` so far, ms (with `children`: plus cutime + cstime of its reaped children). */
export function processCpuMs(pid: number, children = false): number | null {
  const f = statFields(pid);
  if (!f) return null;
  // Fields 14-17 (utime, stime, cutime, cstime) are at 11-14 once the first two are cut off.
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return (ticks * 1000) / clockTicks();
}

function parentOf(pid: number): number | null {
  const f = statFields(pid);
  return f ? Number(f[1]) : null;
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

/** A running Postgres server's CPU so far, ms (see the module comment). */
export interface ServerCpu {
  postmasterPid: number;
  read(): number;
}

/** The server behind `url` when /proc shows it; null otherwise. */
export async function serverCpu(url: string): Promise<ServerCpu | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let postmaster: number | null;
  try {
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    // Read while the backend lives. A remote server's pid may name an unrelated local process: both must be
    // Postgres's.
    postmaster = isPostgres(backend) ? parentOf(backend) : null;
  } finally {
    await client.end();
  }
  if (!postmaster || !isPostgres(postmaster)) return null;
  const pm = postmaster;
  return {
    postmasterPid: pm,
    read() {
      let ms = processCpuMs(pm, true) ?? 0;
      for (const entry of readdirSync('/proc')) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || parentOf(pid) !== pm) continue;
        ms += processCpuMs(pid) ?? 0;
      }
      return ms;
    },
  };
}
