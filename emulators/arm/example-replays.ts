// How each official example (emulators/arm/fixtures) is replayed against the ARM emulator: the example's
// method, api-version and body on the seeded equivalent of its path, after loading what it needs through
// the control API. Used by examples.int.test.ts. Known defect of the published examples: regulatory
// compliance GETs wrap the resource in `value`, which the API and the SDK do not; compared with body.value.
import type { Assessment } from "../seed/types";

export type Example = {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; location?: string } | undefined>;
};
export type Call = { status: number; body: unknown; headers: Headers };
/** One or more exchanges: each answer must have the example response's shape and status. */
export type Exchange = { call: Call; expected: unknown; status: number };

export type ReplayContext = {
  sub: string;
  /** Every seeded subscription (Resource Graph queries span them, as a client's would). */
  subs: string[];
  call(method: string, pathOrUrl: string, body?: unknown): Promise<Call>;
  /** An assessment of `key` (on a resource of `resourceType` when possible) set to `status`; restored after the run. */
  prepared(filter: { key: string; resourceType?: string }, status: Assessment["status"]): Promise<Assessment>;
  /** Runs after the test, whatever happens (deletes what a replay created). */
  cleanup(fn: () => Promise<unknown>): void;
};

const VMSS_KEY = "21300918-b2e3-0346-785f-c77ff57d243b";
const SQL_VULN_KEY = "82e20e14-edc5-4373-bfc4-f13121257c37";
const STANDARD = "PCI-DSS-4";

const av = (e: Example) => `api-version=${String(e.parameters["api-version"])}`;
const body = (e: Example, status = "200") => e.responses[status]?.body;
const unwrap = (b: unknown) => (b as { value?: unknown }).value ?? b;

async function containerVulnKey(ctx: ReplayContext): Promise<string> {
  const list = (await ctx.call("GET", `/subscriptions/${ctx.sub}/providers/Microsoft.Security/assessmentMetadata?api-version=2021-06-01`))
    .body as {
    value: Array<{ name: string; properties: { displayName: string } }>;
  };
  return list.value.find((m) => m.properties.displayName === "Container registry images should have vulnerability findings resolved")!.name;
}

async function failedControl(ctx: ReplayContext): Promise<{ base: string; control: string; assessment: string }> {
  const base = `/subscriptions/${ctx.sub}/providers/Microsoft.Security/regulatoryComplianceStandards/${STANDARD}/regulatoryComplianceControls`;
  const controls = (await ctx.call("GET", `${base}?api-version=2019-01-01-preview`)).body as {
    value: Array<{ name: string; properties: { state: string } }>;
  };
  const control = controls.value.find((c) => c.properties.state === "Failed")!.name;
  const list = (await ctx.call("GET", `${base}/${control}/regulatoryComplianceAssessments?api-version=2019-01-01-preview`)).body as {
    value: Array<{ name: string }>;
  };
  return { base, control, assessment: list.value[0]!.name };
}

/** Creates a governance assignment from the PUT example's body on a seeded Unhealthy assessment. */
async function withAssignment(ctx: ReplayContext, put: Example): Promise<{ path: string; assessment: Assessment; created: Call }> {
  const assessment = await ctx.prepared({ key: VMSS_KEY }, "Unhealthy");
  const path = `${assessment.resourceId}/providers/Microsoft.Security/assessments/${assessment.key}/governanceAssignments/${crypto.randomUUID()}`;
  const created = await ctx.call("PUT", `${path}?${av(put)}`, put.parameters.governanceAssignment);
  ctx.cleanup(() => ctx.call("DELETE", `${path}?${av(put)}`));
  return { path, assessment, created };
}

async function withRule(ctx: ReplayContext, put: Example): Promise<{ path: string; created: Call }> {
  const path = `/subscriptions/${ctx.sub}/providers/Microsoft.Security/governanceRules/${crypto.randomUUID()}`;
  const created = await ctx.call("PUT", `${path}?${av(put)}`, put.parameters.governanceRule);
  ctx.cleanup(() => ctx.call("DELETE", `${path}?${av(put)}`));
  return { path, created };
}

type Replay = (e: Example, ctx: ReplayContext, load: (file: string) => Example) => Promise<Exchange[]>;
const get =
  (status = 200) =>
  (pathOf: (e: Example, ctx: ReplayContext) => string, expected: (e: Example) => unknown = (e) => body(e)): Replay =>
  async (e, ctx) => [{ call: await ctx.call("GET", pathOf(e, ctx)), expected: expected(e), status }];

const PUT_ASSIGNMENT = "2022-01-01-preview/GovernanceAssignments/PutGovernanceAssignment_example.json";
const PUT_RULE = "2022-01-01-preview/GovernanceRules/PutGovernanceRule_example.json";
const RG = "resourcegraph/2024-04-01";
const graph = async (e: Example, ctx: ReplayContext, options?: Record<string, unknown>): Promise<Call> => {
  const query = e.parameters.query as { query: string; options?: Record<string, unknown> };
  const body = {
    subscriptions: ctx.subs,
    query: query.query,
    ...((options ?? query.options) ? { options: options ?? query.options } : {}),
  };
  // The Resource Graph quota is per principal, and other test files spend it on the shared emulators:
  // wait for its reset (Retry-After) as any client must, a few times at most.
  for (let attempt = 1; ; attempt++) {
    const answer = await ctx.call("POST", `/providers/Microsoft.ResourceGraph/resources?${av(e)}`, body);
    if (answer.status !== 429 || attempt >= 5) return answer;
    const seconds = Number(answer.headers.get("retry-after")) || 1;
    await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 5) * 1000));
  }
};

export const REPLAYS: Record<string, Replay> = {
  "2021-06-01/Assessments/ListAssessments_example.json": async (e, ctx) => {
    await ctx.prepared({ key: VMSS_KEY, resourceType: "virtualMachineScaleSets" }, "NotApplicable");
    return [
      {
        call: await ctx.call("GET", `/subscriptions/${ctx.sub}/providers/Microsoft.Security/assessments?${av(e)}`),
        expected: body(e),
        status: 200,
      },
    ];
  },
  "2021-06-01/Assessments/GetAssessment_example.json": async (e, ctx) => {
    const a = await ctx.prepared({ key: VMSS_KEY, resourceType: "virtualMachineScaleSets" }, "NotApplicable");
    return [
      {
        call: await ctx.call("GET", `${a.resourceId}/providers/Microsoft.Security/assessments/${a.key}?${av(e)}`),
        expected: body(e),
        status: 200,
      },
    ];
  },
  "2021-06-01/Assessments/GetAssessmentWithExpand_example.json": async (e, ctx) => {
    const a = await ctx.prepared({ key: VMSS_KEY, resourceType: "virtualMachineScaleSets" }, "NotApplicable");
    const path = `${a.resourceId}/providers/Microsoft.Security/assessments/${a.key}?${av(e)}&$expand=${String(e.parameters.$expand)}`;
    return [{ call: await ctx.call("GET", path), expected: body(e), status: 200 }];
  },
  "2021-06-01/AssessmentsMetadata/ListAssessmentsMetadata_example.json": get()(
    (e) => `/providers/Microsoft.Security/assessmentMetadata?${av(e)}`,
  ),
  "2021-06-01/AssessmentsMetadata/ListAssessmentsMetadata_subscription_example.json": get()(
    (e, ctx) => `/subscriptions/${ctx.sub}/providers/Microsoft.Security/assessmentMetadata?${av(e)}`,
  ),
  "2021-06-01/AssessmentsMetadata/GetAssessmentsMetadata_subscription_example.json": get()(
    (e, ctx) =>
      `/subscriptions/${ctx.sub}/providers/Microsoft.Security/assessmentMetadata/${String(e.parameters.assessmentMetadataName)}?${av(e)}`,
  ),
  "2020-01-01/secureScores/ListSecureScores_example.json": get()(
    (e, ctx) => `/subscriptions/${ctx.sub}/providers/Microsoft.Security/secureScores?${av(e)}`,
  ),
  "2020-01-01/secureScores/ListSecureScoreControls_example.json": get()(
    (e, ctx) => `/subscriptions/${ctx.sub}/providers/Microsoft.Security/secureScoreControls?${av(e)}`,
  ),
  "2020-01-01/secureScores/ListSecureScoreControlsForNameWithExpand_builtin_example.json": get()(
    (e, ctx) =>
      `/subscriptions/${ctx.sub}/providers/Microsoft.Security/secureScores/${String(e.parameters.secureScoreName)}/secureScoreControls?${av(e)}&$expand=definition`,
  ),
  "2020-01-01/secureScoreControlDefinitions/ListSecureScoreControlDefinitions_subscription_example.json": get()(
    (e, ctx) => `/subscriptions/${ctx.sub}/providers/Microsoft.Security/secureScoreControlDefinitions?${av(e)}`,
  ),
  "2019-01-01-preview/RegulatoryCompliance/getRegulatoryComplianceStandardList_example.json": get()(
    (e, ctx) => `/subscriptions/${ctx.sub}/providers/Microsoft.Security/regulatoryComplianceStandards?${av(e)}`,
  ),
  "2019-01-01-preview/RegulatoryCompliance/getRegulatoryComplianceStandard_example.json": get()(
    (e, ctx) => `/subscriptions/${ctx.sub}/providers/Microsoft.Security/regulatoryComplianceStandards/${STANDARD}?${av(e)}`,
    (e) => unwrap(body(e)),
  ),
  "2019-01-01-preview/RegulatoryCompliance/getRegulatoryComplianceControlList_example.json": get()(
    (e, ctx) =>
      `/subscriptions/${ctx.sub}/providers/Microsoft.Security/regulatoryComplianceStandards/${STANDARD}/regulatoryComplianceControls?${av(e)}`,
  ),
  "2019-01-01-preview/RegulatoryCompliance/getRegulatoryComplianceControl_example.json": async (e, ctx) => {
    const { base, control } = await failedControl(ctx);
    return [{ call: await ctx.call("GET", `${base}/${control}?${av(e)}`), expected: unwrap(body(e)), status: 200 }];
  },
  "2019-01-01-preview/RegulatoryCompliance/getRegulatoryComplianceAssessmentList_example.json": async (e, ctx) => {
    const { base, control } = await failedControl(ctx);
    return [{ call: await ctx.call("GET", `${base}/${control}/regulatoryComplianceAssessments?${av(e)}`), expected: body(e), status: 200 }];
  },
  "2019-01-01-preview/RegulatoryCompliance/getRegulatoryComplianceAssessment_example.json": async (e, ctx) => {
    const { base, control, assessment } = await failedControl(ctx);
    return [
      {
        call: await ctx.call("GET", `${base}/${control}/regulatoryComplianceAssessments/${assessment}?${av(e)}`),
        expected: unwrap(body(e)),
        status: 200,
      },
    ];
  },
  "2019-01-01-preview/SubAssessments/GetSubAssessment_example.json": async (e, ctx) => {
    const a = await ctx.prepared({ key: await containerVulnKey(ctx), resourceType: "registries" }, "Unhealthy");
    const base = `${a.resourceId}/providers/Microsoft.Security/assessments/${a.key}/subAssessments`;
    const list = (await ctx.call("GET", `${base}?${av(e)}`)).body as { value: Array<{ name: string }> };
    return [{ call: await ctx.call("GET", `${base}/${list.value[0]!.name}?${av(e)}`), expected: body(e), status: 200 }];
  },
  "2019-01-01-preview/SubAssessments/ListSubAssessments_example.json": async (e, ctx) => {
    await ctx.prepared({ key: SQL_VULN_KEY }, "Unhealthy");
    return [
      {
        call: await ctx.call(
          "GET",
          `/subscriptions/${ctx.sub}/providers/Microsoft.Security/assessments/${SQL_VULN_KEY}/subAssessments?${av(e)}`,
        ),
        expected: body(e),
        status: 200,
      },
    ];
  },
  "2019-01-01-preview/SubAssessments/ListSubscriptionSubAssessments_example.json": async (e, ctx) => {
    await ctx.prepared({ key: await containerVulnKey(ctx), resourceType: "registries" }, "Unhealthy");
    return [
      {
        call: await ctx.call("GET", `/subscriptions/${ctx.sub}/providers/Microsoft.Security/subAssessments?${av(e)}`),
        expected: body(e),
        status: 200,
      },
    ];
  },
  [PUT_ASSIGNMENT]: async (e, ctx) => {
    const { path, created } = await withAssignment(ctx, e);
    const replaced = await ctx.call("PUT", `${path}?${av(e)}`, e.parameters.governanceAssignment);
    return [
      { call: created, expected: body(e, "201"), status: 201 },
      { call: replaced, expected: body(e, "200"), status: 200 },
    ];
  },
  "2022-01-01-preview/GovernanceAssignments/GetGovernanceAssignment_example.json": async (e, ctx, load) => {
    const { path } = await withAssignment(ctx, load(PUT_ASSIGNMENT));
    return [{ call: await ctx.call("GET", `${path}?${av(e)}`), expected: body(e), status: 200 }];
  },
  "2022-01-01-preview/GovernanceAssignments/ListGovernanceAssignments_example.json": async (e, ctx, load) => {
    const { assessment } = await withAssignment(ctx, load(PUT_ASSIGNMENT));
    return [
      {
        call: await ctx.call(
          "GET",
          `/subscriptions/${ctx.sub}/providers/Microsoft.Security/assessments/${assessment.key}/governanceAssignments?${av(e)}`,
        ),
        expected: body(e),
        status: 200,
      },
    ];
  },
  "2022-01-01-preview/GovernanceAssignments/DeleteGovernanceAssignment_example.json": async (e, ctx, load) => {
    const { path } = await withAssignment(ctx, load(PUT_ASSIGNMENT));
    const deleted = await ctx.call("DELETE", `${path}?${av(e)}`);
    const again = await ctx.call("DELETE", `${path}?${av(e)}`);
    return [
      { call: deleted, expected: undefined, status: 200 },
      { call: again, expected: undefined, status: 204 },
    ];
  },
  [PUT_RULE]: async (e, ctx) => [{ call: (await withRule(ctx, e)).created, expected: body(e, "201"), status: 201 }],
  "2022-01-01-preview/GovernanceRules/GetGovernanceRule_example.json": async (e, ctx, load) => {
    const { path } = await withRule(ctx, load(PUT_RULE));
    return [{ call: await ctx.call("GET", `${path}?${av(e)}`), expected: body(e), status: 200 }];
  },
  "2022-01-01-preview/GovernanceRules/ListBySubscriptionGovernanceRules_example.json": async (e, ctx, load) => {
    await withRule(ctx, load(PUT_RULE));
    return [
      {
        call: await ctx.call("GET", `/subscriptions/${ctx.sub}/providers/Microsoft.Security/governanceRules?${av(e)}`),
        expected: body(e),
        status: 200,
      },
    ];
  },
  "2022-01-01-preview/GovernanceRules/PostGovernanceRule_example.json": async (e, ctx, load) => {
    const { path } = await withRule(ctx, load(PUT_RULE));
    const executed = await ctx.call("POST", `${path}/execute?${av(e)}`, e.parameters.ExecuteGovernanceRuleBody);
    if (!executed.headers.get("location")) throw new Error("202 without a Location header");
    return [{ call: executed, expected: undefined, status: 202 }];
  },
  "2022-01-01-preview/GovernanceRules/GetGovernanceRuleExecuteStatus_example.json": async (e, ctx, load) => {
    const { path } = await withRule(ctx, load(PUT_RULE));
    const executed = await ctx.call("POST", `${path}/execute?${av(e)}`, { override: false });
    return [
      { call: executed, expected: undefined, status: 202 },
      { call: await ctx.call("GET", executed.headers.get("location")!), expected: body(e), status: 200 },
    ];
  },
  [`${RG}/ResourcesBasicQuery.json`]: async (e, ctx) => [{ call: await graph(e, ctx), expected: body(e), status: 200 }],
  [`${RG}/ResourcesFirstPageQuery.json`]: async (e, ctx) => [{ call: await graph(e, ctx), expected: body(e), status: 200 }],
  [`${RG}/ResourcesNextPageQuery.json`]: async (e, ctx, load) => {
    // The example's token belongs to Microsoft's data; use the one our first page returned.
    const first = await graph(load(`${RG}/ResourcesFirstPageQuery.json`), ctx);
    const token = (first.body as { $skipToken?: string }).$skipToken;
    if (!token) throw new Error("the first page carried no $skipToken");
    return [{ call: await graph(e, ctx, { $skipToken: token }), expected: body(e), status: 200 }];
  },
  "resourcegraph/2022-10-01/ResourcesPropertiesQuery.json": async (e, ctx) => [
    { call: await graph(e, ctx), expected: body(e), status: 200 },
  ],
};
