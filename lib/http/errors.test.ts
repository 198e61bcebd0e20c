import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/http/errors";

describe("AppError", () => {
  test("what the user is told: the message for 4xx, upstream and service-unavailable errors; never an internal one", () => {
    expect(new AppError("VALIDATION", { message: "name is required" }).userMessage).toBe("name is required");
    expect(new AppError("UPSTREAM_AUTH", { message: "ServiceNow refused the password" }).userMessage).toBe(
      "ServiceNow refused the password",
    );
    expect(new AppError("SERVICE_UNAVAILABLE", { message: "Another ingestion is running; try again when it ends" }).userMessage).toBe(
      "Another ingestion is running; try again when it ends",
    );
    expect(new AppError("INTERNAL", { message: 'relation "Finding" does not exist' }).userMessage).toBe("Internal error");
    expect(
      new AppError("SERVICE_UNAVAILABLE", {
        message: "Database unavailable: connect ECONNREFUSED",
        userMessage: "The database is unavailable",
      }).userMessage,
    ).toBe("The database is unavailable");
  });

  test("status and retryability follow the code", () => {
    const e = new AppError("SERVICE_UNAVAILABLE", { message: "busy", retryAfterSeconds: 5 });
    expect([e.status, e.isRetryable, e.retryAfterSeconds]).toEqual([503, true, 5]);
    expect(new AppError("CONFLICT", { message: "x" }).isRetryable).toBe(false);
  });
});
