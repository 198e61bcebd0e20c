import "server-only";

// Daily refresh of instance discovery: every hour, the active connections whose schema is older than a
// day (or was never discovered) are discovered again, one at a time. A failure is logged and retried at
// the next tick; the cached schema stays in use meanwhile.
import { db } from "@/lib/db";
import { definePeriodic } from "@/lib/jobs/define";
import { WITH_CREDENTIALS } from "@/lib/connections/client";
import { refreshConnectionSchema } from "./store";

const DAY_MS = 24 * 3600 * 1000;

export const schemaRefreshTask = definePeriodic({
  name: "servicenow-schema-refresh",
  intervalMs: 3600 * 1000,
  async run({ log }) {
    const cutoff = new Date(Date.now() - DAY_MS);
    const due = await db().serviceNowConnection.findMany({
      where: {
        deletedAt: null,
        OR: [{ itsmEnabled: true }, { ccEnabled: true }],
        NOT: { schemas: { some: { discoveredAt: { gte: cutoff } } } },
      },
      take: 20,
      omit: WITH_CREDENTIALS,
    });
    for (const connection of due) {
      try {
        const discovery = await refreshConnectionSchema(connection);
        log.info({ connectionId: connection.id, notes: discovery.notes.length }, "instance schema refreshed");
      } catch (error) {
        log.warn({ err: error, connectionId: connection.id }, "instance schema refresh failed; next tick retries");
      }
    }
  },
});
