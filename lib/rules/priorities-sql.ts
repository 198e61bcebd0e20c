import "server-only";
import { type Prisma } from "@/lib/generated/prisma/client";

// The SQL of priorities.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type Tx = Prisma.TransactionClient;

/** Serialises rule changes of these connections until the transaction ends (sorted: no deadlock). */
export async function lockConnectionRules(tx: Tx, connectionIds: string[]): Promise<void> {
  for (const id of [...new Set(connectionIds)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`rules:${id}`}, 0))`;
  }
}
