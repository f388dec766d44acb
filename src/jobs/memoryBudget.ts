// How much memory this process may still use: what the host has available, capped by the container's cgroup
// limit. Node's os.freemem() sees only the host, so a container limited to 200 MB on a 24 GB machine looked
// roomy and was OOM-killed (exit 137, no message). The files read are injectable, so tests use fixtures.
//   host      /proc/meminfo MemAvailable (free plus reclaimable cache), else os.freemem()
//   cgroup v2 <dir>/memory.max ("max" = none), memory.current, memory.stat inactive_file
//   cgroup v1 <dir>/memory.limit_in_bytes (a huge number = none), memory.usage_in_bytes, memory.stat total_inactive_file
// Usage counts the working set, as Kubernetes does: usage minus inactive file cache, which the kernel reclaims
// before it kills anything.
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Where the memory figures are read from. */
export interface MemorySources {
  /** /proc/meminfo, or a fixture. */
  meminfo: string;
  /** The cgroup v2 folder holding memory.max and memory.current. */
  cgroupV2: string;
  /** The cgroup v1 memory controller folder holding memory.limit_in_bytes. */
  cgroupV1: string;
}

export const SYSTEM_MEMORY: MemorySources = {
  meminfo: '/proc/meminfo',
  cgroupV2: '/sys/fs/cgroup',
  cgroupV1: '/sys/fs/cgroup/memory',
};

/** A cgroup v1 limit at or above this is "no limit" (the kernel writes 2^63 rounded down to a page). */
const V1_UNLIMITED = 2 ** 60;

export interface CgroupMemory {
  version: 1 | 2;
  limitBytes: number;
  /** Working set: usage minus inactive file cache. */
  usageBytes: number;
}

export interface MemoryBudget {
  /** What this process may grow to in all: the smaller of host and cgroup headroom, plus what it holds now. */
  availableBytes: number;
  hostAvailableBytes: number;
  /** The tighter cgroup limit in force, or null when none applies. */
  cgroup: CgroupMemory | null;
  /** Resident memory of this process when measured (counted in the cgroup's usage and as its own). */
  ownBytes: number;
}

/**
 * The memory this process may use at its peak. Both host availability and the cgroup's usage already exclude
 * what the process holds, and an estimate of a run's peak includes it, so it is added back.
 *
 * @example
 * memoryBudget().availableBytes; // about 23 GB on an idle 24 GB machine, about 150 MB in a 200 MB container
 * memoryBudget({ meminfo: 'fixtures/meminfo', cgroupV2: 'fixtures/v2', cgroupV1: 'fixtures/none' }, 0);
 */
export function memoryBudget(sources: MemorySources = SYSTEM_MEMORY, ownBytes: number = process.memoryUsage().rss): MemoryBudget {
  const hostAvailableBytes = hostAvailable(sources.meminfo);
  const groups = [cgroupV2(sources.cgroupV2), cgroupV1(sources.cgroupV1)].filter((g): g is CgroupMemory => g !== null);
  const headroom = (g: CgroupMemory) => Math.max(0, g.limitBytes - g.usageBytes);
  const cgroup = groups.length ? groups.reduce((a, b) => (headroom(b) < headroom(a) ? b : a)) : null;
  const free = Math.min(hostAvailableBytes, cgroup ? headroom(cgroup) : Number.POSITIVE_INFINITY);
  // The process cannot hold more than the cgroup allows in all, whatever it holds now.
  const availableBytes = Math.min(free + ownBytes, cgroup ? cgroup.limitBytes : Number.POSITIVE_INFINITY);
  return { availableBytes, hostAvailableBytes, cgroup, ownBytes };
}

/** MemAvailable from a meminfo file, in bytes; os.freemem() where there is none (macOS, Windows). */
function hostAvailable(file: string): number {
  const text = readText(file);
  const kb = text === null ? null : /^MemAvailable:\s+(\d+)\s*kB/m.exec(text);
  return kb ? Number(kb[1]) * 1024 : os.freemem();
}

function cgroupV2(dir: string): CgroupMemory | null {
  const max = readText(`${dir}/memory.max`)?.trim();
  if (max === undefined || max === 'max') return null;
  const limitBytes = Number(max);
  if (!Number.isFinite(limitBytes)) return null;
  const usage = Number(readText(`${dir}/memory.current`)?.trim() ?? 0) || 0;
  return { version: 2, limitBytes, usageBytes: workingSet(usage, readText(`${dir}/memory.stat`), 'inactive_file') };
}

function cgroupV1(dir: string): CgroupMemory | null {
  const limit = Number(readText(`${dir}/memory.limit_in_bytes`)?.trim());
  if (!Number.isFinite(limit) || limit <= 0 || limit >= V1_UNLIMITED) return null;
  const usage = Number(readText(`${dir}/memory.usage_in_bytes`)?.trim() ?? 0) || 0;
  return { version: 1, limitBytes: limit, usageBytes: workingSet(usage, readText(`${dir}/memory.stat`), 'total_inactive_file') };
}

/** Usage minus the named inactive file cache of a memory.stat text (never below 0). */
function workingSet(usage: number, stat: string | null, field: string): number {
  const m = stat === null ? null : new RegExp(`^${field} (\\d+)$`, 'm').exec(stat);
  return Math.max(0, usage - (m ? Number(m[1]) : 0));
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
