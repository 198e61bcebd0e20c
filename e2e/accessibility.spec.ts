import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { resourceHref } from "../lib/schemas/resources";
import { storageStatePath } from "./support/personas";
import { expect, test } from "./support/test";

// Accessibility of every page for every role (issue 17, items 13 and 14): axe-core (WCAG 2.0/2.1 A and
// AA rules) finds no violation on any page a role can open, on the main dialogs open, on the sign-in
// pages, and on the phone layout with the navigation open. At 390 px the overview and the list pages
// do not scroll sideways. A manager is never shown a link to a page that refuses them: every
// same-origin link on every page they visit is followed and must not answer 403 nor render the
// "no access" page. Lists are opened with 25 rows (their smallest page): the rows are alike, and axe's
// time grows with the page (a 2-core machine shared with other work).

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const FORBIDDEN_TEXT = "You do not have access to this page";

type Role = "admin" | "analyst" | "manager";
type Target = { path: string; label: string; roles?: Role[] };

type Ids = {
  findingId: string;
  resourceId: string;
  recKey: string;
  ticketId: string;
  runId: string;
  standard: string | null;
  control: string | null;
};

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.ok(), `GET ${url} answered ${res.status()}`).toBe(true);
  return (await res.json()) as T;
}

async function lookUpIds(request: APIRequestContext): Promise<Ids> {
  // The demo's first sync and its tickets follow the start within seconds: wait for a ticket.
  await expect
    .poll(async () => (await getJson<{ items: unknown[] }>(request, "/api/tickets?pageSize=1")).items.length, {
      timeout: 180_000,
      message: "a first ticket",
    })
    .toBeGreaterThan(0);
  // A finding with a ticket gives a finding, its resource, its recommendation and a ticket in one go.
  const findings = await getJson<{ items: Array<{ id: string; resourceId: string; recommendationKey: string }> }>(
    request,
    "/api/findings?status=Unhealthy&pageSize=1",
  );
  const tickets = await getJson<{ items: Array<{ id: string }> }>(request, "/api/tickets?pageSize=1");
  const runs = await getJson<{ items: Array<{ id: string }> }>(request, "/api/sync-runs?pageSize=1");
  const summary = await getJson<{ standards: Array<{ name: string }> }>(request, "/api/compliance/summary");
  const standard = summary.standards[0]?.name ?? null;
  let control: string | null = null;
  if (standard) {
    const detail = await getJson<{ controls: Array<{ name: string }> }>(
      request,
      `/api/compliance/standards/${encodeURIComponent(standard)}`,
    );
    control = detail.controls[0]?.name ?? null;
  }
  const f = findings.items[0];
  expect(f, "a finding").toBeTruthy();
  expect(tickets.items[0], "a ticket").toBeTruthy();
  expect(runs.items[0], "a sync run").toBeTruthy();
  return {
    findingId: f.id,
    resourceId: f.resourceId,
    recKey: f.recommendationKey,
    ticketId: tickets.items[0].id,
    runId: runs.items[0].id,
    standard,
    control,
  };
}

function targets(ids: Ids): Target[] {
  const std = ids.standard ? `/compliance?standard=${encodeURIComponent(ids.standard)}` : null;
  return [
    { path: "/", label: "Overview" },
    { path: "/findings?pageSize=25", label: "Findings" },
    { path: `/findings/${ids.findingId}`, label: "Finding detail" },
    { path: "/recommendations?pageSize=25", label: "Recommendations" },
    { path: `/recommendations/${ids.recKey}?pageSize=25`, label: "Recommendation detail" },
    { path: resourceHref(ids.resourceId), label: "Resource" },
    { path: "/tickets?pageSize=25", label: "Tickets" },
    { path: `/tickets/${ids.ticketId}`, label: "Ticket detail" },
    { path: "/compliance", label: "Compliance" },
    ...(std ? [{ path: std, label: "Compliance standard" }] : []),
    ...(std && ids.control ? [{ path: `${std}&control=${encodeURIComponent(ids.control)}`, label: "Compliance control" }] : []),
    { path: "/compliance/cc", label: "Configuration Compliance" },
    { path: "/sync?pageSize=25", label: "Sync history" },
    { path: `/sync/${ids.runId}`, label: "Sync run" },
    { path: "/connections", label: "Connections", roles: ["admin", "analyst"] },
    { path: "/rules", label: "Rules", roles: ["admin"] },
    { path: "/audit?pageSize=25", label: "Audit log", roles: ["admin"] },
    { path: "/settings/tokens", label: "API tokens", roles: ["admin"] },
    { path: "/api-docs", label: "API reference" },
    // What a manager gets when opening an admin page directly (no link leads there).
    { path: "/rules", label: "Forbidden page", roles: ["manager"] },
  ];
}

type Scan = { label: string; problems: string[] };

/** Waits for the client-side data to arrive: no spinner, skeleton or busy region left (bounded: pollers keep the network busy). */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(300);
  await page
    .waitForFunction(() => !document.querySelector(".animate-spin, .animate-pulse, [aria-busy=true]"), undefined, {
      timeout: 6_000,
      polling: 100,
    })
    .catch(() => undefined);
}

/** Runs axe over the whole page (nothing excluded, no rule disabled) and keeps what it found. */
async function axe(page: Page, label: string, scans: Scan[]): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  scans.push({
    label: `${label} (${new URL(page.url()).pathname}${new URL(page.url()).search})`,
    problems: result.violations.map(
      (v) =>
        `${v.id} [${v.impact}] ${v.help}\n      ${v.nodes.map((n) => `${n.target.join(" ")}${n.failureSummary ? ` — ${n.failureSummary.split("\n").slice(1).join(" ").trim()}` : ""}`).join("\n      ")}`,
    ),
  });
}

function report(scans: Scan[]): string {
  const bad = scans.filter((s) => s.problems.length > 0);
  return bad.map((s) => `${s.label}:\n    ${s.problems.join("\n    ")}`).join("\n");
}

/** Same-origin links of the page, one per route shape (ids collapsed), for the manager's link check. */
async function collectLinks(page: Page, into: Map<string, string>): Promise<void> {
  const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  const origin = new URL(page.url()).origin;
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin !== origin || (url.pathname === new URL(page.url()).pathname && url.hash)) continue;
    const segments = url.pathname.split("/").filter(Boolean);
    const key =
      segments[0] === "api"
        ? url.pathname
        : `/${segments.slice(0, 1).join("/")}${segments.length > 1 ? (segments[0] === "compliance" || segments[0] === "settings" ? `/${segments[1]}` : "/*") : ""}`;
    if (!into.has(key)) into.set(key, url.pathname + url.search);
  }
}

async function walk(browser: Browser, baseURL: string | undefined, role: Role, scans: Scan[], links?: Map<string, string>): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStatePath(role), baseURL });
  const page = await context.newPage();
  const ids = await lookUpIds(page.request);
  for (const t of targets(ids).filter((t) => !t.roles || t.roles.includes(role))) {
    const res = await page.goto(t.path);
    expect(res?.status(), `${role} opens ${t.path}`).toBeLessThan(400);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    if (t.label !== "Forbidden page") await expect(page.getByText(FORBIDDEN_TEXT), `${role} may open ${t.path}`).toHaveCount(0);
    await settle(page);
    await axe(page, `${role}: ${t.label}`, scans);
    if (links && t.label !== "Forbidden page") await collectLinks(page, links);
  }
  return page;
}

test.describe("accessibility: axe-core finds no WCAG 2.1 A/AA violation", () => {
  // Generous: axe takes seconds per page on a loaded 2-core machine (one role walks about 20 pages).
  test.describe.configure({ timeout: 600_000 });

  test("every page an admin can open, with the rule form and the connection form open", async ({ browser, baseURL }) => {
    const scans: Scan[] = [];
    const page = await walk(browser, baseURL, "admin", scans);

    await page.goto("/rules");
    await page.getByRole("button", { name: "New rule" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await settle(page);
    await axe(page, "admin: rule form dialog", scans);
    await page.keyboard.press("Escape");

    await page.goto("/connections");
    await page.getByRole("button", { name: "Add ServiceNow connection" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await axe(page, "admin: ServiceNow connection form dialog", scans);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await page.getByRole("button", { name: /^Add Azure/ }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await axe(page, "admin: Azure tenant form dialog", scans);
    await page.context().close();

    expect(report(scans), `axe violations:\n${report(scans)}`).toBe("");
  });

  test("every page an analyst can open, with the create-ticket and saved-view dialogs open", async ({ browser, baseURL }) => {
    const scans: Scan[] = [];
    const page = await walk(browser, baseURL, "analyst", scans);

    const findings = await getJson<{ items: Array<{ recommendationKey: string }> }>(
      page.request,
      "/api/findings?status=Unhealthy&hasTicket=false&pageSize=1",
    );
    await page.goto(`/recommendations/${findings.items[0].recommendationKey}?status=Unhealthy&hasTicket=false`);
    await page.getByRole("row").nth(1).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Create ticket (1)" }).click();
    const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });
    await expect(dialog).toBeVisible();
    await settle(page);
    await axe(page, "analyst: create ticket dialog", scans);
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);

    await page.goto("/findings?severity=High");
    await page.getByRole("button", { name: "Save view" }).click();
    await expect(page.getByRole("dialog", { name: "Save this view" })).toBeVisible();
    await axe(page, "analyst: save view dialog", scans);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Saved views" }).click();
    await expect(page.getByRole("dialog", { name: "Saved views" })).toBeVisible();
    await settle(page);
    await axe(page, "analyst: saved views dialog", scans);
    await page.context().close();

    expect(report(scans), `axe violations:\n${report(scans)}`).toBe("");
  });

  test("every page a manager can open; no link on them leads to a page that refuses a manager", async ({ browser, baseURL }) => {
    const scans: Scan[] = [];
    const links = new Map<string, string>();
    const page = await walk(browser, baseURL, "manager", scans, links);

    const refused: string[] = [];
    for (const href of links.values()) {
      const res = await page.request.get(href, { maxRedirects: 0 });
      const body = res.headers()["content-type"]?.includes("text/html") ? await res.text() : "";
      if (res.status() === 403 || body.includes(FORBIDDEN_TEXT)) refused.push(`${href} → ${res.status()}`);
    }
    expect(links.size, "links were collected").toBeGreaterThan(10);
    expect(refused, `links shown to a manager that refuse a manager:\n${refused.join("\n")}`).toEqual([]);
    await page.context().close();

    expect(report(scans), `axe violations:\n${report(scans)}`).toBe("");
  });

  test("signed-out pages: sign-in, signed out, no access, not found", async ({ browser, baseURL }) => {
    const scans: Scan[] = [];
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    for (const [path, label] of [
      ["/signin", "Sign in"],
      ["/signed-out", "Signed out"],
      ["/no-access", "No access"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await axe(page, label, scans);
    }
    await context.close();
    // The not-found page inside the signed-in app.
    const signedIn = await browser.newContext({ storageState: storageStatePath("analyst"), baseURL });
    const p2 = await signedIn.newPage();
    const res = await p2.goto("/no-such-page");
    expect(res?.status()).toBe(404);
    await axe(p2, "Not found", scans);
    await signedIn.close();
    expect(report(scans), `axe violations:\n${report(scans)}`).toBe("");
  });

  test("phone (390×844): no sideways scrolling on the overview and the lists; the labelled navigation opens and passes axe", async ({
    browser,
    baseURL,
  }) => {
    const scans: Scan[] = [];
    const context = await browser.newContext({
      storageState: storageStatePath("manager"),
      baseURL,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const wide: string[] = [];
    for (const path of ["/", "/findings", "/recommendations", "/tickets", "/compliance", "/sync"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await settle(page);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.scrollingElement!.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      if (scrollWidth > innerWidth) wide.push(`${path}: ${scrollWidth} px wide at ${innerWidth} px`);
      await axe(page, `manager: phone ${path}`, scans);
      if (path === "/") await page.screenshot({ path: "test-results/screens/phone-overview.png", fullPage: true });
    }
    expect(wide, `pages that scroll sideways at 390 px:\n${wide.join("\n")}`).toEqual([]);

    await page.goto("/");
    const toggle = page.getByRole("button", { name: "Main menu" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    const controls = await toggle.getAttribute("aria-controls");
    expect(controls).toBeTruthy();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeVisible();
    await expect(page.locator(`#${controls}`)).toBeVisible();
    await expect(nav.getByRole("link", { name: "Overview" })).toBeVisible();
    await page.screenshot({ path: "test-results/screens/phone-nav-open.png" });
    await axe(page, "manager: phone overview, navigation open", scans);
    await nav.getByRole("link", { name: "Tickets" }).click();
    await expect(page).toHaveURL(/\/tickets$/);
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await context.close();
    expect(report(scans), `axe violations:\n${report(scans)}`).toBe("");
  });
});
