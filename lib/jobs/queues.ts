import "server-only";
import type PgBoss from "pg-boss";
import { type AnyJobDefinition } from "@/lib/jobs/define";

const created = new Set<string>();

/** pg-boss 10 needs each queue created (with its policy) before jobs are sent or worked. */
export async function ensureQueue(b: PgBoss, definition: AnyJobDefinition): Promise<void> {
  if (created.has(definition.name)) return;
  const options = {
    name: definition.name,
    policy: definition.policy,
    retryLimit: definition.retryLimit,
    retryDelay: definition.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: definition.expireInSeconds,
  };
  if (await b.getQueue(definition.name)) await b.updateQueue(definition.name, options);
  else {
    try {
      await b.createQueue(definition.name, options);
    } catch (error) {
      // Another process created it between our check and our create.
      if (!(await b.getQueue(definition.name))) throw error;
    }
  }
  created.add(definition.name);
}
