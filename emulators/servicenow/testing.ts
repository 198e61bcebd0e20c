// Test support: the ServiceNow emulator an integration test talks to.
//
// When test/global-setup.ts provides the shared emulators (`inject("emulators")`, the manifest), tests
// use those; otherwise this starts a private ServiceNow emulator in the test worker, on the platform's
// server with the local CA (seed 42, size small). Either way the test process must have been started
// with NODE_EXTRA_CA_CERTS=<.data/certs/ca-bundle.pem> (vitest.config.ts sets it).
// Tests share the emulator with other files when it is global: change only what you restore, and scope
// rate-limit rules and faults to your own user, table or path.
import { inject } from "vitest";
import { type ServiceNowCredentials } from "./index";
import { type ServiceNowProfileName } from "./profiles";
import { startStandaloneServiceNow } from "./standalone";

export type ServiceNowTarget = ServiceNowCredentials & {
  url: string;
  profile: ServiceNowProfileName;
  /** JSON call to the emulator's control API (no auth). */
  control<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
};

type ProvidedManifest = { servicenow: ServiceNowCredentials & { url: string; profile?: ServiceNowProfileName } };

function provided(): ProvidedManifest | undefined {
  try {
    // `emulators` is declared by test/global-setup.ts once it starts them; until then it is absent.
    return (inject as unknown as (key: string) => unknown)("emulators") as ProvidedManifest | undefined;
  } catch {
    return undefined;
  }
}

function controlClient(url: string): ServiceNowTarget["control"] {
  return async (method, route, body) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
}

/**
 * A ServiceNow instance of the given profile (default baseline). Baseline is the shared emulator when
 * the global setup provides one; any other profile (or no shared set, or `private: true`) is a private
 * instance started in this worker (~100 ms, small seed): call `stop()` in afterAll. Ask for a private
 * one when the file injects faults on tables that product code reads in other files (sys_choice, say):
 * with several workers, another file's request can meet the fault first.
 */
export async function startServiceNowForTests(
  options: { profile?: ServiceNowProfileName; private?: boolean } = {},
): Promise<ServiceNowTarget> {
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error("Start the tests with NODE_EXTRA_CA_CERTS=<.data/certs/ca-bundle.pem> so that Node trusts the emulators' CA.");
  }
  const profile = options.profile ?? "baseline";
  const shared = provided();
  if (shared && !options.private && (shared.servicenow.profile ?? "baseline") === profile) {
    const { url, profile: _p, ...credentials } = shared.servicenow;
    return { ...credentials, otherUsers: credentials.otherUsers ?? [], url, profile, control: controlClient(url), stop: async () => {} };
  }

  const emulator = await startStandaloneServiceNow({ profile });
  return { ...emulator, control: controlClient(emulator.url) };
}

/** Both instance profiles, for `describe.each` over them: `for (const p of SERVICENOW_TEST_PROFILES)`. */
export const SERVICENOW_TEST_PROFILES: readonly ServiceNowProfileName[] = ["baseline", "customized"];

/** A copy of an emulator manifest whose ServiceNow part is `target` (Entra and ARM unchanged). */
export function withServiceNow<M extends { servicenow: object }>(manifest: M, target: ServiceNowTarget): M {
  const { control: _c, stop: _s, ...servicenow } = target;
  return { ...manifest, servicenow: { ...manifest.servicenow, ...servicenow } };
}
