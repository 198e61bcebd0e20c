// Ticket-lifecycle behaviours of the emulated instance that an integration cannot see in an answer:
//   - writes the instance accepts (200) but does not apply. By default the one ServiceNow has had since
//     Rome: a Table API write of problem.state is dropped (the problem state model moves only through its
//     UI actions). Tests add more (a "before" business rule that puts a field back) through the control API;
//   - whether the Change Management REST API (plugin sn_chg_rest) is installed (default: yes).
// Control routes (JSON, no auth, on the emulator's own port):
//   GET|PUT /_emulator/ignored-writes   {rules: [{table, field, reason?}]}   (PUT replaces the list)
//   GET|PUT /_emulator/change-api       {installed}
import { z } from "zod";
import { type EmulatorRequest, HttpError, type Router, sendJson } from "../common/http";

export type IgnoredWrite = { table: string; field: string; reason: string };
export type LifecycleSettings = { changeApiInstalled: boolean; ignoredWrites: IgnoredWrite[] };

/** Rome+: "ServiceNow Table API no longer supports problem state transitions" (the write is not applied). */
export const PROBLEM_STATE_RULE: IgnoredWrite = {
  table: "problem",
  field: "state",
  reason: "problem state model (Rome+): state moves only through UI actions",
};

export function defaultLifecycleSettings(): LifecycleSettings {
  return { changeApiInstalled: true, ignoredWrites: [{ ...PROBLEM_STATE_RULE }] };
}

/** A Table API update body without the fields the instance silently does not apply. */
export function withoutIgnoredWrites(settings: LifecycleSettings, table: string, body: Record<string, string>): Record<string, string> {
  const dropped = new Set(settings.ignoredWrites.filter((r) => r.table === table).map((r) => r.field));
  if (dropped.size === 0) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !dropped.has(k)));
}

const ZIgnoredWrites = z
  .object({
    rules: z
      .array(
        z
          .object({
            table: z
              .string()
              .trim()
              .regex(/^[a-z0-9_]+$/),
            field: z
              .string()
              .trim()
              .regex(/^[a-z0-9_]+$/),
            reason: z.string().trim().max(200).optional(),
          })
          .strict(),
      )
      .max(50),
  })
  .strict();
const ZChangeApi = z.object({ installed: z.boolean() }).strict();

function parse<T>(schema: z.ZodType<T>, req: EmulatorRequest): T {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
    throw new HttpError(400, "InvalidControlRequest", "The control request body is not valid.", {}, detail);
  }
  return result.data;
}

export function mountLifecycleControl(router: Router, settings: () => LifecycleSettings): void {
  router.get("/_emulator/ignored-writes", (_req, res) => sendJson(res, 200, { rules: settings().ignoredWrites }));
  router.put("/_emulator/ignored-writes", (req, res) => {
    const { rules } = parse(ZIgnoredWrites, req);
    settings().ignoredWrites = rules.map((r) => ({
      table: r.table,
      field: r.field,
      reason: r.reason ?? "business rule restores the previous value",
    }));
    sendJson(res, 200, { rules: settings().ignoredWrites });
  });
  router.get("/_emulator/change-api", (_req, res) => sendJson(res, 200, { installed: settings().changeApiInstalled }));
  router.put("/_emulator/change-api", (req, res) => {
    settings().changeApiInstalled = parse(ZChangeApi, req).installed;
    sendJson(res, 200, { installed: settings().changeApiInstalled });
  });
}
