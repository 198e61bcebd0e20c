import "server-only";

// Demo part: the demo connection is discovered like any other, and when the instance requires fields on
// insert (the emulator's "customized" profile: a data policy on incident.category and
// incident.u_business_service) the demo's admin gives them defaults once — the first choice of a choice
// field, the findings' subscription name for a text field — so the demo tickets can be created. An admin
// changes or removes them in the connection's "Field defaults".
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { fieldDefaultsOf } from "@/lib/connections/dto";
import { updateConnection } from "@/lib/connections/service";
import { db } from "@/lib/db";
import { WITH_CREDENTIALS } from "@/lib/connections/client";
import { refreshConnectionSchema } from "@/lib/instance-schema/store";
import { MANAGED_COLUMNS } from "@/lib/instance-schema/validate";
import { type TFieldDefaults } from "@/lib/schemas/instance-schema";

export async function configureDemoFieldDefaults(connectionId: string): Promise<string[]> {
  const connection = await db().serviceNowConnection.findUniqueOrThrow({ where: { id: connectionId }, omit: WITH_CREDENTIALS });
  const discovery = await refreshConnectionSchema(connection);
  const current = fieldDefaultsOf(connection.fieldDefaults);
  const next: TFieldDefaults = { ...current };
  const added: string[] = [];
  for (const t of discovery.tables) {
    if (t.table !== "incident" && t.table !== "problem" && t.table !== "change_request") continue;
    for (const f of t.fields) {
      if (f.mandatorySource !== "data_policy" || (MANAGED_COLUMNS as readonly string[]).includes(f.name) || next[t.table]?.[f.name])
        continue;
      const value = f.choices?.length ? f.choices[0]!.value : "{{subscription.name}}";
      next[t.table] = { ...next[t.table], [f.name]: value };
      added.push(`${t.table}.${f.name}`);
    }
  }
  if (added.length) await updateConnection(SYSTEM_ACTOR, connectionId, { fieldDefaults: next });
  return added;
}
