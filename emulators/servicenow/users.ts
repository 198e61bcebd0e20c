// Accounts that can sign in to the emulated instance's REST APIs, their roles, and table ACLs.
// Credentials are fixed (derived from constant labels, not the seed) so a demo's saved connection keeps
// working after a reseed; the emulator only listens on loopback.
import { timingSafeEqual } from "node:crypto";
import { stableHex } from "../common/rng";
import { type Actor } from "./business-rules";
import { type TableDef } from "./schema";

export type ApiUser = {
  userName: string;
  password: string;
  firstName: string;
  lastName: string;
  roles: string[];
  description: string;
};

const password = (label: string) => `Sn-${stableHex(20, "servicenow-emulator", "password", label)}`;

export const API_USERS: ApiUser[] = [
  {
    userName: "posturedesk.integration",
    password: password("integration"),
    firstName: "PostureDesk",
    lastName: "Integration",
    roles: ["itil", "sn_vulc.read", "rest_service", "personalize_dictionary", "data_policy_admin"],
    description:
      "Integration user: itil for ITSM, sn_vulc.read to read Configuration Compliance (the connection's user); reads the dictionary and data policies.",
  },
  {
    userName: "posturedesk.itsm",
    password: password("itsm"),
    firstName: "PostureDesk",
    lastName: "ITSM Only",
    roles: ["itil", "rest_service"],
    description: "ITSM rights only: Configuration Compliance tables, sys_dictionary and data policies answer 403.",
  },
  {
    userName: "posturedesk.readonly",
    password: password("readonly"),
    firstName: "PostureDesk",
    lastName: "Read Only",
    roles: ["snc_read_only", "rest_service"],
    description: "Reads everything, every write answers 403.",
  },
  {
    userName: "admin",
    password: password("admin"),
    firstName: "System",
    lastName: "Administrator",
    roles: ["admin"],
    description: "Instance administrator (may delete ITSM records).",
  },
];

export const OAUTH_CLIENT = {
  clientId: stableHex(32, "servicenow-emulator", "oauth-client-id"),
  clientSecret: `Sc-${stableHex(24, "servicenow-emulator", "oauth-client-secret")}`,
};

/** sys_user sys_id of an API user (stable, so journal entries and references survive a reseed). */
export function apiUserSysId(userName: string): string {
  return stableHex(32, "servicenow-emulator", "sys_user", userName);
}

export function actorOf(user: ApiUser): Actor {
  return { userName: user.userName, sysId: apiUserSysId(user.userName), name: `${user.firstName} ${user.lastName}`, roles: user.roles };
}

export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

export function findApiUser(userName: string, pass: string): ApiUser | undefined {
  const user = API_USERS.find((u) => u.userName === userName);
  return user && safeEqual(user.password, pass) ? user : undefined;
}

const isAdmin = (actor: Actor) => actor.roles.includes("admin");
const isReadOnly = (actor: Actor) => actor.roles.includes("snc_read_only") && !isAdmin(actor);
const hasAny = (actor: Actor, roles: string[]) => roles.some((r) => actor.roles.includes(r));

export function canRead(actor: Actor, table: TableDef): boolean {
  return isAdmin(actor) || hasAny(actor, table.readRoles);
}

export function canWrite(actor: Actor, table: TableDef): boolean {
  return isAdmin(actor) || (!isReadOnly(actor) && hasAny(actor, table.writeRoles));
}

export function canDelete(actor: Actor, table: TableDef): boolean {
  return isAdmin(actor) || (!isReadOnly(actor) && hasAny(actor, table.deleteRoles));
}
