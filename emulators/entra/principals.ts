// The tenant's app registrations and service principals. Ids and secrets are fixed (derived from names,
// not from the seed) so that a reseed never breaks a running app's configuration. They are demo
// credentials for a local emulator, not secrets.
import { stableHex, stableUuid } from "../common/rng";

export type AppRoleValue = "Admin" | "Analyst" | "Manager";

export type Principal = {
  /** Application (client) id. */
  clientId: string;
  clientSecret: string;
  /** Object id of the service principal (the `oid` of app-only tokens). */
  objectId: string;
  displayName: string;
};

export type Principals = {
  /** PostureDesk's own app registration: users sign in to it; it defines the app roles. */
  dashboardApp: Principal & { appRoles: Array<{ id: string; value: AppRoleValue; displayName: string }> };
  /** Holds Security Reader on every subscription: the ARM emulator lets it read. */
  armServicePrincipal: Principal;
  /** Gets valid tokens but holds no role anywhere: the ARM emulator answers 403 AuthorizationFailed. */
  noAccessServicePrincipal: Principal;
};

function principal(name: string, displayName: string): Principal {
  return {
    clientId: stableUuid("app", name),
    clientSecret: `emu~${stableHex(34, "client-secret", name)}`,
    objectId: stableUuid("service-principal", name),
    displayName,
  };
}

export function buildPrincipals(): Principals {
  return {
    dashboardApp: {
      ...principal("posturedesk-dashboard", "PostureDesk"),
      appRoles: (["Admin", "Analyst", "Manager"] as const).map((value) => ({
        id: stableUuid("app-role", value),
        value,
        displayName: `PostureDesk ${value}`,
      })),
    },
    armServicePrincipal: principal("posturedesk-arm-reader", "PostureDesk Defender reader"),
    noAccessServicePrincipal: principal("posturedesk-no-access", "PostureDesk (no access)"),
  };
}

export function allPrincipals(p: Principals): Principal[] {
  return [p.dashboardApp, p.armServicePrincipal, p.noAccessServicePrincipal];
}
