// The ServiceNow emulator's instance profiles over the wire: the dictionary, choices and data policies
// readable through the Table API, data policies refusing REST inserts (403 "Data Policy Exception")
// while dictionary "mandatory" does not, and the customized profile's hourly rate-limit rule.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServiceNowTarget, startServiceNowForTests } from "./testing";

let baseline: ServiceNowTarget;
let customized: ServiceNowTarget;

beforeAll(async () => {
  [baseline, customized] = await Promise.all([
    startServiceNowForTests({ profile: "baseline" }),
    startServiceNowForTests({ profile: "customized" }),
  ]);
});
afterAll(async () => {
  await Promise.all([baseline?.stop(), customized?.stop()]);
});

async function rest(
  target: ServiceNowTarget,
  method: string,
  path: string,
  body?: unknown,
  user = { username: target.username, password: target.password },
) {
  const res = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`,
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : null) as { result?: unknown; error?: { message: string; detail: string }; status?: string },
  };
}

const itsmOnly = (t: ServiceNowTarget) => {
  const u = t.otherUsers.find((o) => o.username === "posturedesk.itsm")!;
  return { username: u.username, password: u.password };
};

describe("sys_dictionary, sys_choice and data policies through the Table API", () => {
  test("the dictionary lists incident's own columns and task's shared ones; custom fields only on the customized instance", async () => {
    const query = encodeURIComponent("nameINtask,incident^elementISNOTEMPTY");
    const base = await rest(
      baseline,
      "GET",
      `/api/now/table/sys_dictionary?sysparm_query=${query}&sysparm_fields=name,element,column_label,internal_type,mandatory,reference`,
    );
    expect(base.status).toBe(200);
    const rows = base.body.result as Array<Record<string, string>>;
    expect(rows).toContainEqual(
      expect.objectContaining({ name: "task", element: "short_description", column_label: "Short description", mandatory: "true" }),
    );
    expect(rows).toContainEqual(expect.objectContaining({ name: "incident", element: "category", internal_type: "string" }));
    expect(rows).toContainEqual(
      expect.objectContaining({
        name: "incident",
        element: "caller_id",
        internal_type: "reference",
        reference: "sys_user",
        mandatory: "true",
      }),
    );
    expect(rows.some((r) => r.element === "u_business_service")).toBe(false);
    expect(rows.some((r) => r.name === "incident" && r.element === "short_description")).toBe(false);

    const custom = await rest(customized, "GET", `/api/now/table/sys_dictionary?sysparm_query=${query}`);
    expect(custom.body.result).toContainEqual(
      expect.objectContaining({
        name: "incident",
        element: "u_business_service",
        column_label: "Business service",
        internal_type: "string",
      }),
    );
  });

  test("category is a choice list in sys_choice; close codes are the current base list (no legacy codes)", async () => {
    for (const target of [baseline, customized]) {
      const res = await rest(
        target,
        "GET",
        `/api/now/table/sys_choice?sysparm_query=${encodeURIComponent("name=incident^elementINcategory,close_code^inactive=false")}&sysparm_fields=element,value,label`,
      );
      const rows = res.body.result as Array<Record<string, string>>;
      expect(rows).toContainEqual({ element: "category", value: "network", label: "Network" });
      expect(rows).toContainEqual({ element: "close_code", value: "Solution provided", label: "Solution provided" });
      expect(rows.some((r) => r.value === "Solved (Permanently)")).toBe(false);
    }
  });

  test("the customized instance's data policy is readable; a user without the role gets 403 on policies and the dictionary", async () => {
    const policies = await rest(customized, "GET", "/api/now/table/sys_data_policy2?sysparm_query=model_table=incident^active=true");
    const [policy] = policies.body.result as Array<Record<string, string>>;
    expect(policy).toMatchObject({ model_table: "incident", active: "true", conditions: "" });
    const rules = await rest(
      customized,
      "GET",
      `/api/now/table/sys_data_policy_rule?sysparm_query=sys_data_policy=${policy!.sys_id}&sysparm_exclude_reference_link=true`,
    );
    expect((rules.body.result as Array<Record<string, string>>).map((r) => [r.field, r.mandatory]).sort()).toEqual([
      ["category", "true"],
      ["u_business_service", "true"],
    ]);
    expect((await rest(baseline, "GET", "/api/now/table/sys_data_policy2")).body.result).toEqual([]);

    for (const table of ["sys_dictionary", "sys_data_policy2", "sys_data_policy_rule"]) {
      const denied = await rest(customized, "GET", `/api/now/table/${table}?sysparm_limit=1`, undefined, itsmOnly(customized));
      expect(denied.status).toBe(403);
    }
    expect((await rest(customized, "GET", "/api/now/table/sys_choice?sysparm_limit=1", undefined, itsmOnly(customized))).status).toBe(200);
  });
});

describe("REST inserts: data policies apply, dictionary mandatory does not", () => {
  test("baseline: an incident without caller (dictionary-mandatory) or category is created", async () => {
    const res = await rest(baseline, "POST", "/api/now/table/incident", { short_description: "no caller, no category" });
    expect(res.status).toBe(201);
  });

  test("customized: an incident without category and business service is refused with 403 Data Policy Exception naming both", async () => {
    const res = await rest(customized, "POST", "/api/now/table/incident", { short_description: "missing classification", category: "" });
    expect(res.status).toBe(403);
    expect(res.body.status).toBe("failure");
    expect(res.body.error?.message).toBe("Operation Failed");
    expect(res.body.error?.detail).toMatch(/^Data Policy Exception: /);
    expect(res.body.error?.detail).toContain("The following fields are mandatory: Category, Business service");

    const partial = await rest(customized, "POST", "/api/now/table/incident", { short_description: "half", category: "network" });
    expect(partial.status).toBe(403);
    expect(partial.body.error?.detail).toContain("mandatory: Business service");
  });

  test("customized: with both fields the incident is created and stores them; updating one to empty is refused", async () => {
    const res = await rest(customized, "POST", "/api/now/table/incident?sysparm_exclude_reference_link=true", {
      short_description: "classified",
      category: "network",
      u_business_service: "Payments",
    });
    expect(res.status).toBe(201);
    const rec = res.body.result as Record<string, string>;
    expect(rec.category).toBe("network");
    expect(rec.u_business_service).toBe("Payments");
    const cleared = await rest(customized, "PATCH", `/api/now/table/incident/${rec.sys_id}`, { u_business_service: "" });
    expect(cleared.status).toBe(403);
  });

  test("baseline ignores u_business_service (the field does not exist there)", async () => {
    const res = await rest(baseline, "POST", "/api/now/table/incident", {
      short_description: "custom field on baseline",
      u_business_service: "Payments",
    });
    expect(res.status).toBe(201);
    expect(res.body.result).not.toHaveProperty("u_business_service");
  });
});

describe("rate limiting", () => {
  test("customized: every request carries X-RateLimit-Limit/Reset/Rule (no Remaining); baseline has no rule", async () => {
    const res = await rest(customized, "GET", "/api/now/table/incident?sysparm_limit=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-limit")).toBe("20000");
    expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    expect(res.headers.get("x-ratelimit-rule")).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers.get("x-ratelimit-remaining")).toBeNull();
    const plain = await rest(baseline, "GET", "/api/now/table/incident?sysparm_limit=1");
    expect(plain.headers.get("x-ratelimit-limit")).toBeNull();
  });

  test("over the limit: 429 with Retry-After and the documented body", async () => {
    const user = itsmOnly(customized);
    expect((await customized.control("PUT", "/_emulator/rate-limit", { limitPerHour: 2, users: [user.username] })).status).toBe(200);
    try {
      for (let i = 0; i < 2; i++)
        expect((await rest(customized, "GET", "/api/now/table/incident?sysparm_limit=1", undefined, user)).status).toBe(200);
      const denied = await rest(customized, "GET", "/api/now/table/incident?sysparm_limit=1", undefined, user);
      expect(denied.status).toBe(429);
      expect(Number(denied.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(denied.headers.get("x-ratelimit-limit")).toBe("2");
      expect(denied.body).toEqual({
        error: { message: "Rate limit exceeded", detail: "Rate limit of 2 requests per hour for REST API exceeded" },
        status: "failure",
      });
    } finally {
      await customized.control("PUT", "/_emulator/rate-limit", { limitPerHour: 20_000 });
    }
  });
});
