import { describe, expect, test } from "vitest";
import { isChangeApiAbsent } from "./change-api";
import { parseServiceNowError, serviceNowHttpError } from "./errors";

const answer = (status: number, body: unknown) =>
  serviceNowHttpError(parseServiceNowError(status, JSON.stringify(body)), { method: "POST", target: "sn_chg_rest/change/normal" });

describe("isChangeApiAbsent", () => {
  test("returns true for a 404 and for ServiceNow's 400 answer to an unknown API path", () => {
    expect(
      isChangeApiAbsent(
        answer(404, { error: { message: "Requested URI does not represent any resource", detail: null }, status: "failure" }),
      ),
    ).toBe(true);
    expect(
      isChangeApiAbsent(
        answer(400, { error: { message: "Requested URI does not represent any resource", detail: null }, status: "failure" }),
      ),
    ).toBe(true);
  });

  test("returns false for other refusals (a bad template, an ACL, a data policy) and non-ServiceNow errors", () => {
    expect(isChangeApiAbsent(answer(400, { error: { message: "Invalid standard change template", detail: "x" }, status: "failure" }))).toBe(
      false,
    );
    expect(
      isChangeApiAbsent(answer(403, { error: { message: "Operation Failed", detail: "Data Policy Exception: …" }, status: "failure" })),
    ).toBe(false);
    expect(isChangeApiAbsent(new Error("boom"))).toBe(false);
  });
});
