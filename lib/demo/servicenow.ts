import "server-only";

// Demo part of the ServiceNow side (npm start on the embedded default): registers the emulator's
// instance as a connection (ITSM and Configuration Compliance on, OAuth with the manifest's client),
// idempotently, and — once the first Defender ingestion has stored findings — creates a handful of
// tickets through the ticket service so both sides of the views are populated.
// The bootstrap runs before the app (and its job worker) start, so the tickets are created by a
// background watcher in the launcher's process that waits for the ingestion to finish.
import { type EmulatorManifest } from "@/emulators/manifest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { changeTemplates } from "@/lib/connections/change-templates";
import { createConnection, updateConnection } from "@/lib/connections/service";
import { db } from "@/lib/db";
import { logger } from "@/lib/log";
import { ZCreateConnection } from "@/lib/schemas/connections";
import { createTickets } from "@/lib/tickets/create";
import { configureDemoFieldDefaults } from "./servicenow-defaults";
import { pickDemoFindings } from "./servicenow-picks";

const CONNECTION_KEY = "demo.servicenow.connectionId";
const TICKETS_KEY = "demo.servicenow.tickets";
const CONNECTION_NAME = "ServiceNow (emulator)";
const POLL_MS = 3_000;
const GIVE_UP_MS = 15 * 60_000;

async function setting(key: string): Promise<unknown> {
  return (await db().appSetting.findUnique({ where: { key } }))?.value ?? null;
}

async function saveSetting(key: string, value: string | object): Promise<void> {
  await db().appSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

/** The demo connection's id: created once; kept in step with the emulator's address and credentials. */
async function ensureConnection(manifest: EmulatorManifest): Promise<{ id: string; action: string } | null> {
  const sn = manifest.servicenow;
  const instanceUrl = new URL(sn.url).origin;
  const knownId = await setting(CONNECTION_KEY);
  if (typeof knownId === "string") {
    const existing = await db().serviceNowConnection.findUnique({ where: { id: knownId } });
    // Deleted by someone on purpose: respect it.
    if (!existing || existing.deletedAt) return null;
    if (existing.instanceUrl !== instanceUrl || existing.username !== sn.username || existing.oauthClientId !== sn.oauthClientId) {
      await updateConnection(SYSTEM_ACTOR, existing.id, {
        instanceUrl,
        username: sn.username,
        password: sn.password,
        oauthClientId: sn.oauthClientId,
        oauthClientSecret: sn.oauthClientSecret,
      });
      return { id: existing.id, action: "updated" };
    }
    return { id: existing.id, action: "kept" };
  }
  const created = await createConnection(
    SYSTEM_ACTOR,
    ZCreateConnection.parse({
      name: CONNECTION_NAME,
      instanceUrl,
      allowPrivateNetwork: true,
      authType: "oauth",
      username: sn.username,
      password: sn.password,
      oauthClientId: sn.oauthClientId,
      oauthClientSecret: sn.oauthClientSecret,
      itsmEnabled: true,
      ccEnabled: true,
      defaultAssignmentGroup: "Cloud Security Operations",
    }),
  );
  await saveSetting(CONNECTION_KEY, created.id);
  return { id: created.id, action: "registered" };
}

/** Whether the first Defender ingestion is done: a finished ingest run, or findings that stopped growing. */
async function isIngested(previousCount: number | null): Promise<{ isDone: boolean; count: number }> {
  const count = await db().finding.count({ where: { status: "Unhealthy" } });
  const finished = await db().syncRun.count({ where: { kind: "defender_ingest", status: { in: ["succeeded", "partial"] } } });
  return { isDone: count > 0 && (finished > 0 || count === previousCount), count };
}

async function createDemoTickets(connectionId: string): Promise<string> {
  const defaults = await configureDemoFieldDefaults(connectionId);
  if (defaults.length)
    logger().child({ part: "demo.servicenow" }).info({ defaults }, "field defaults set for the fields the instance requires");
  const picks = await pickDemoFindings(connectionId);
  const numbers: string[] = [];
  for (const pick of picks) {
    // A standard change comes from one of the instance's pre-approved templates (the first one).
    const template = pick.changeType === "standard" ? (await changeTemplates(SYSTEM_ACTOR, connectionId)).items[0] : undefined;
    const outcome = await createTickets(SYSTEM_ACTOR, {
      connectionId,
      grouping: "single",
      ...pick,
      ...(template ? { standardTemplateId: template.sysId } : {}),
    });
    numbers.push(...outcome.tickets.map((t) => t.number));
  }
  await saveSetting(TICKETS_KEY, { createdAt: new Date().toISOString(), numbers });
  return numbers.join(", ");
}

function watchForFindings(connectionId: string): void {
  const log = logger().child({ part: "demo.servicenow" });
  const started = Date.now();
  let previous: number | null = null;
  const tick = async () => {
    try {
      if (await setting(TICKETS_KEY)) return;
      const state = await isIngested(previous);
      previous = state.count;
      if (state.isDone) {
        const numbers = await createDemoTickets(connectionId);
        log.info({ numbers }, "demo tickets created in the ServiceNow emulator");
        return;
      }
    } catch (error) {
      log.warn({ err: error }, "demo tickets not created yet; retrying");
    }
    if (Date.now() - started < GIVE_UP_MS) setTimeout(() => void tick(), POLL_MS).unref();
    else log.warn("no findings after 15 minutes: demo tickets skipped");
  };
  setTimeout(() => void tick(), POLL_MS).unref();
}

export async function bootstrapServiceNowDemo(manifest: EmulatorManifest): Promise<string> {
  const connection = await ensureConnection(manifest);
  if (!connection) return "ServiceNow demo connection was deleted; not re-created";
  if (await setting(TICKETS_KEY)) return `ServiceNow connection ${connection.action}`;
  watchForFindings(connection.id);
  return `ServiceNow connection ${connection.action} (ITSM + CC, OAuth); demo tickets follow the first ingestion`;
}
