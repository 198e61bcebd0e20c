// Builds the instance's initial data from the seeded world: users (the world's people plus the API
// accounts), assignment groups and memberships, a cmdb_ci per discovered Azure resource (cmdb.ts),
// the choice lists, and unrelated ITSM tickets (small ~30, demo ~300, large 10,000). The vulc tables
// start empty. Ticket dates are spread over the 180 days before the world's anchor (start of a UTC day;
// the emulated "today" when the world has none), so the same seed and anchor give the same data.
import { type Rng, stableHex } from "../common/rng";
import type { World } from "../seed/types";
import { CHOICES } from "./choices";
import { computePriority } from "./business-rules";
import { formatSnDateTime } from "./dates";
import { seedDataPolicies, seedDictionary } from "./dictionary";
import { type ServiceNowProfile, serviceNowProfile } from "./profiles";
import { type SnRecord } from "./query-engine";
import { cmdbCisOf, hasCi } from "./cmdb";
import { TABLES } from "./schema";
import { type Store } from "./store";
import { API_USERS, apiUserSysId } from "./users";

export const TICKETS_BY_SIZE = { small: 30, demo: 300, large: 10_000, estate: 30 } as const;

const DAY_MS = 24 * 3600 * 1000;

function blank(table: string, sysId: string, at: string, by = "system"): SnRecord {
  const rec: SnRecord = {};
  for (const name of Object.keys(TABLES.get(table)!.fields)) rec[name] = "";
  return { ...rec, sys_id: sysId, sys_created_on: at, sys_updated_on: at, sys_created_by: by, sys_updated_by: by, sys_mod_count: "0" };
}

export function seedStore(store: Store, world: World, rng: Rng, nowMs: number, profile: ServiceNowProfile = serviceNowProfile()): void {
  store.clear();
  const anchor = world.anchor ? Date.parse(world.anchor) : nowMs;
  const today = Math.floor(anchor / DAY_MS) * DAY_MS;
  const epoch = formatSnDateTime(today - 365 * DAY_MS);
  seedUsers(store, world, epoch);
  seedCis(store, world, epoch);
  seedChoices(store, epoch);
  seedDictionary(store, profile, epoch);
  seedDataPolicies(store, profile, epoch);
  seedTickets(store, world, rng.fork("servicenow-tickets"), today);
  // The instance's own records carry its custom fields (they were filled when the field was introduced).
  for (const [table, values] of Object.entries(profile.customSeedValues)) {
    for (const rec of store.rows(table)) Object.assign(rec, values);
  }
}

function seedUsers(store: Store, world: World, at: string): void {
  for (const u of API_USERS) {
    store.put("sys_user", {
      ...blank("sys_user", apiUserSysId(u.userName), at),
      user_name: u.userName,
      first_name: u.firstName,
      last_name: u.lastName,
      name: `${u.firstName} ${u.lastName}`,
      email: `${u.userName}@${world.domain}`,
      title: u.description,
      active: "true",
    });
  }
  for (const p of world.people) {
    store.put("sys_user", {
      ...blank("sys_user", p.snSysId, at),
      user_name: p.userName,
      first_name: p.firstName,
      last_name: p.lastName,
      name: p.displayName,
      email: p.email,
      title: p.title,
      active: "true",
    });
  }
  const byEmail = new Map(world.people.map((p) => [p.email.toLowerCase(), p.snSysId]));
  for (const g of world.groups) {
    store.put("sys_user_group", {
      ...blank("sys_user_group", g.snSysId, at),
      name: g.name,
      description: g.description,
      manager: byEmail.get(g.managerEmail.toLowerCase()) ?? "",
      email: `${g.name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@${world.domain}`,
      active: "true",
    });
  }
  const groupIds = new Map(world.groups.map((g) => [g.name, g.snSysId]));
  for (const p of world.people) {
    for (const name of p.groups) {
      const group = groupIds.get(name);
      if (!group) continue;
      store.put("sys_user_grmember", {
        ...blank("sys_user_grmember", stableHex(32, "grmember", p.snSysId, group), at),
        user: p.snSysId,
        group,
      });
    }
  }
}

function seedCis(store: Store, world: World, at: string): void {
  for (const ci of cmdbCisOf(world)) store.put("cmdb_ci", { ...blank("cmdb_ci", ci.sys_id!, at, "discovery"), ...ci });
}

function seedChoices(store: Store, at: string): void {
  for (const [table, elements] of Object.entries(CHOICES)) {
    for (const [element, choices] of Object.entries(elements)) {
      choices.forEach((c, i) => {
        store.put("sys_choice", {
          ...blank("sys_choice", stableHex(32, "sys_choice", table, element, c.value), at),
          name: table,
          element,
          value: c.value,
          label: c.label,
          sequence: String(i * 10),
          language: "en",
          inactive: "false",
        });
      });
    }
  }
}

const SUBJECTS = [
  "VPN disconnects every few minutes",
  "Email delivery delayed for the finance team",
  "Printer on floor 3 is offline",
  "Password reset loop on the intranet",
  "Database backup job failed overnight",
  "Slow response from the HR portal",
  "Certificate expiring on the public web site",
  "Disk space low on a build agent",
  "Teams calls drop in the London office",
  "Laptop encryption status unknown",
];

// A few foreign correlation ids so that prefix filters have something to exclude.
const FOREIGN_CORRELATION = ["splunk-", "qualys-", "datadog-"];

function seedTickets(store: Store, world: World, rng: Rng, todayMs: number): void {
  const count = TICKETS_BY_SIZE[world.size];
  const people = world.people;
  const groups = world.groups;
  const resources = world.resources.filter(hasCi);
  for (let i = 0; i < count; i++) {
    const table = rng.weighted([
      ["incident", 60],
      ["problem", 25],
      ["change_request", 15],
    ] as const);
    const def = TABLES.get(table)!;
    const opened = todayMs - rng.int(1, 180) * DAY_MS + rng.int(0, DAY_MS / 1000 - 1) * 1000;
    const updated = Math.min(todayMs, opened + rng.int(0, 20) * DAY_MS + rng.int(0, 3600) * 1000);
    const caller = people.length > 0 ? rng.pick(people) : undefined;
    const rec = blank(table, rng.hex(32), formatSnDateTime(opened), caller?.userName ?? "system");
    const impact = String(rng.int(1, 3));
    const urgency = String(rng.int(1, 3));
    const state = pickState(table, rng);
    Object.assign(rec, {
      number: store.nextNumber(def),
      sys_class_name: table,
      short_description: rng.pick(SUBJECTS),
      description: "Seeded ticket unrelated to PostureDesk.",
      impact,
      urgency,
      priority: computePriority(impact, urgency),
      state,
      active: isFinal(table, state) ? "false" : "true",
      opened_at: formatSnDateTime(opened),
      opened_by: caller?.snSysId ?? "",
      assignment_group: groups.length > 0 && rng.chance(0.85) ? rng.pick(groups).snSysId : "",
      assigned_to: people.length > 0 && rng.chance(0.6) ? rng.pick(people).snSysId : "",
      cmdb_ci: resources.length > 0 && rng.chance(0.3) ? rng.pick(resources).ciSysId : "",
      correlation_id: rng.chance(0.1) ? `${rng.pick(FOREIGN_CORRELATION)}${rng.hex(12)}` : "",
      sys_updated_on: formatSnDateTime(updated),
      sys_mod_count: String(rng.int(0, 12)),
    });
    if (table === "incident") Object.assign(rec, incidentExtras(rec, state, caller?.snSysId ?? "", updated));
    if (table === "problem" && (state === "106" || state === "107")) {
      Object.assign(rec, { resolution_code: "fix_applied", close_notes: "Root cause fixed.", resolved_at: formatSnDateTime(updated) });
      if (state === "107") rec.closed_at = formatSnDateTime(updated);
    }
    if (table === "change_request") {
      const type = rng.pick(["normal", "standard", "emergency"]);
      Object.assign(rec, { type, risk: String(rng.int(2, 4)) });
      // Keep every seeded change inside its type's state model (standard skips Assess/Authorize…).
      if (type === "standard" && ["-4", "-3"].includes(state)) rec.state = "-2";
      if (type === "emergency" && state === "-4") rec.state = "-3";
      if (state === "3")
        Object.assign(rec, { close_code: "successful", close_notes: "Implemented as planned.", closed_at: formatSnDateTime(updated) });
    }
    store.put(table, rec);
  }
}

function incidentExtras(rec: SnRecord, state: string, caller: string, updated: number): SnRecord {
  const extras: SnRecord = { caller_id: caller, incident_state: state, category: "inquiry", reopen_count: "0" };
  if (state === "3") extras.hold_reason = "1";
  if (["6", "7"].includes(state)) {
    Object.assign(extras, {
      close_code: "Solution provided",
      close_notes: "Fixed by the service desk.",
      resolved_at: formatSnDateTime(updated),
    });
  }
  if (state === "7") extras.closed_at = formatSnDateTime(updated);
  return { ...rec, ...extras };
}

function pickState(table: "incident" | "problem" | "change_request", rng: Rng): string {
  if (table === "incident")
    return rng.weighted([
      ["1", 20],
      ["2", 30],
      ["3", 5],
      ["6", 15],
      ["7", 25],
      ["8", 5],
    ] as const);
  if (table === "problem")
    return rng.weighted([
      ["101", 20],
      ["102", 20],
      ["103", 15],
      ["104", 15],
      ["106", 10],
      ["107", 20],
    ] as const);
  return rng.weighted([
    ["-5", 20],
    ["-4", 10],
    ["-3", 10],
    ["-2", 15],
    ["-1", 10],
    ["0", 5],
    ["3", 25],
    ["4", 5],
  ] as const);
}

function isFinal(table: string, state: string): boolean {
  return (
    (table === "incident" && ["7", "8"].includes(state)) ||
    (table === "problem" && state === "107") ||
    (table === "change_request" && ["3", "4"].includes(state))
  );
}
