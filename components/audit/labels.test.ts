import { describe, expect, test } from "vitest";
import { auditActionLabel, auditActorLabel, auditTargetLabel } from "./labels";

// Actions, targets and actors read as words, never as identifiers.
describe("audit labels", () => {
  test.each([
    ["auth.sign_in", "Signed in"],
    ["ticket.journal", "Work note or comment added"],
    ["azure_tenant.update", "Azure tenant update"],
  ])("action %s reads %j", (action, label) => expect(auditActionLabel(action)).toBe(label));

  test.each([
    ["servicenow_connection", "ServiceNow connection"],
    ["something_new", "Something new"],
  ])("target %s reads %j", (target, label) => expect(auditTargetLabel(target)).toBe(label));

  test("the token actor reads API token", () => expect(auditActorLabel("token")).toBe("API token"));
});
