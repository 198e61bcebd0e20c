import { describe, expect, test } from "vitest";
import { auditActionLabel, auditActorLabel, auditTargetLabel } from "./labels";

describe("audit labels", () => {
  test("actions, targets and actors read as words, never as identifiers", () => {
    expect(auditActionLabel("auth.sign_in")).toBe("Signed in");
    expect(auditActionLabel("ticket.journal")).toBe("Work note or comment added");
    expect(auditActionLabel("azure_tenant.update")).toBe("Azure tenant update");
    expect(auditTargetLabel("servicenow_connection")).toBe("ServiceNow connection");
    expect(auditTargetLabel("something_new")).toBe("Something new");
    expect(auditActorLabel("token")).toBe("API token");
  });
});
