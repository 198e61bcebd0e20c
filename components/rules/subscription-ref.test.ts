import { describe, expect, test } from "vitest";
import { resolveSubscription, subscriptionLabel } from "./subscription-ref";

const PROD = { subscriptionId: "0A1B2C3D-0000-4000-8000-000000000001", displayName: "Contoso Production" };
const DEV = { subscriptionId: "0a1b2c3d-0000-4000-8000-000000000002", displayName: "Contoso Dev" };
const DEV_TWIN = { subscriptionId: "0a1b2c3d-0000-4000-8000-000000000003", displayName: "contoso dev" };
const known = [PROD, DEV];

describe("resolveSubscription", () => {
  test("returns the lower-cased id of a subscription typed by display name, ignoring case and spaces", () => {
    expect(resolveSubscription("  contoso PRODUCTION ", known)).toEqual({ value: PROD.subscriptionId.toLowerCase() });
  });
  test("accepts a known id and the suggestion text 'Name (id)'", () => {
    expect(resolveSubscription(DEV.subscriptionId.toUpperCase(), known)).toEqual({ value: DEV.subscriptionId });
    expect(resolveSubscription(subscriptionLabel(PROD), known)).toEqual({ value: PROD.subscriptionId.toLowerCase() });
  });
  test("refuses an unknown name or id, naming it", () => {
    expect(resolveSubscription("Fabrikam", known)).toEqual({ error: "No ingested subscription is named “Fabrikam”" });
    expect(resolveSubscription("ffffffff-0000-4000-8000-000000000009", known)).toEqual({
      error: "No ingested subscription has the id ffffffff-0000-4000-8000-000000000009",
    });
  });
  test("refuses a name two subscriptions share, but not one subscription listed by two tenants", () => {
    expect(resolveSubscription("Contoso Dev", [...known, DEV_TWIN])).toEqual({
      error: "2 subscriptions are named “Contoso Dev”: pick one from the list or type its id",
    });
    expect(resolveSubscription("Contoso Dev", [...known, { ...DEV }])).toEqual({ value: DEV.subscriptionId });
  });
});
