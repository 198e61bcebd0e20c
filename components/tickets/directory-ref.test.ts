import { describe, expect, test } from "vitest";
import { directoryDetail, directoryRef, isRefOf, noMatchMessage } from "./directory-ref";

const ari = { sysId: "a".repeat(32), name: "Ari Analyst", userName: "ari.analyst", email: "ari.analyst@contoso.example" };
const soc = { sysId: "b".repeat(32), name: "SOC", userName: "", email: "" };
const socTwin = { sysId: "c".repeat(32), name: "soc" };

describe("directoryRef", () => {
  test("returns the user name of a user, else the e-mail, else the sys_id", () => {
    expect(directoryRef("users", ari)).toBe("ari.analyst");
    expect(directoryRef("users", { ...ari, userName: "" })).toBe("ari.analyst@contoso.example");
    expect(directoryRef("users", { ...ari, userName: "", email: "" })).toBe(ari.sysId);
  });
  test("returns a group's name unless another listed group has the same name (then its sys_id)", () => {
    expect(directoryRef("groups", soc, [soc])).toBe("SOC");
    expect(directoryRef("groups", soc, [soc, socTwin])).toBe(soc.sysId);
  });
});

describe("isRefOf", () => {
  test("recognises a user by sys_id, user name, e-mail or display name, ignoring case", () => {
    for (const ref of [ari.sysId, "ARI.ANALYST", "ari.analyst@contoso.example", "ari analyst"])
      expect(isRefOf("users", ari, ref)).toBe(true);
    expect(isRefOf("users", ari, "ari")).toBe(false);
    expect(isRefOf("users", ari, " ")).toBe(false);
  });
  test("recognises a group by name or sys_id only", () => {
    expect(isRefOf("groups", soc, "soc")).toBe(true);
    expect(isRefOf("groups", soc, soc.sysId)).toBe(true);
    expect(isRefOf("groups", { ...soc, email: "soc@x" }, "soc@x")).toBe(false);
  });
});

describe("directoryDetail and noMatchMessage", () => {
  test("shows a user's e-mail and names what matched nothing", () => {
    expect(directoryDetail("users", ari)).toBe("ari.analyst@contoso.example");
    expect(directoryDetail("groups", soc)).toBe("");
    expect(noMatchMessage("users", " zed ")).toBe("No user matches “zed”");
    expect(noMatchMessage("groups", "")).toBe("No groups in ServiceNow");
  });
});
