// Which worker process runs a connection's sync right now: the one whose database session holds the
// connection's lease (a session advisory lock, lib/sync/lease.ts). PostgreSQL tells us the session's
// client port; Linux tells us which of our processes owns the socket bound to that port.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import type pg from "pg";
import type { Proc } from "./procs";

async function leaseClientPorts(sql: pg.Pool, connectionId: string): Promise<number[]> {
  // A 64-bit advisory lock shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
  const { rows } = await sql.query<{ port: number }>(
    `WITH k AS (SELECT hashtextextended($1, 0) AS h)
     SELECT a.client_port AS port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, k
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid::bigint = ((k.h >> 32) & 4294967295) AND l.objid::bigint = (k.h & 4294967295)`,
    [`posturedesk:sync:${connectionId}`],
  );
  return rows.map((r) => r.port);
}

function socketInodes(localPort: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (local && parseInt(local.split(":")[1] ?? "", 16) === localPort) inodes.add(cols[9]!);
    }
  }
  return inodes;
}

function ownsSocket(pid: number, inodes: Set<string>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1]!)) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/** The worker holding the connection's lease, or null when no worker runs it at this moment. */
export async function leaseHolder(sql: pg.Pool, workers: Proc[], connectionId: string): Promise<Proc | null> {
  for (const port of await leaseClientPorts(sql, connectionId)) {
    const inodes = socketInodes(port);
    const owner = workers.find((w) => w.isRunning() && ownsSocket(w.pid, inodes));
    if (owner) return owner;
  }
  return null;
}
