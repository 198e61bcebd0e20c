import { describe, expect, test } from "vitest";
import { isTemplate, renderDefaults, renderTemplate, type TemplateFinding, templateErrors } from "./templates";

const finding = (over: Partial<TemplateFinding> = {}): TemplateFinding => ({
  recommendationName: "Storage accounts should restrict network access",
  severity: "Medium",
  subscriptionName: "Contoso Production",
  resourceId: "/subscriptions/1/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1",
  resourceGroup: "rg-app",
  tags: { owner: "ana@contoso.com", env: "prod" },
  ...over,
});

describe("renderTemplate", () => {
  test("returns a constant as it is", () => {
    expect(renderTemplate("network", [finding()])).toBe("network");
    expect(isTemplate("network")).toBe(false);
  });

  test("fills every placeholder from one finding", () => {
    const value = "{{recommendation.name}} | {{severity}} | {{subscription.name}} | {{resource.id}} | {{resource.group}} | {{tag:owner}}";
    expect(renderTemplate(value, [finding()])).toBe(
      "Storage accounts should restrict network access | Medium | Contoso Production | /subscriptions/1/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1 | rg-app | ana@contoso.com",
    );
  });

  test("joins the distinct values of several findings in their order; severity is the highest", () => {
    const findings = [
      finding({ severity: "Low", resourceGroup: "rg-b" }),
      finding({ severity: "High", resourceGroup: "rg-a" }),
      finding({ resourceGroup: "rg-b" }),
    ];
    expect(renderTemplate("{{resource.group}}", findings)).toBe("rg-b, rg-a");
    expect(renderTemplate("{{severity}}", findings)).toBe("High");
    expect(renderTemplate("{{subscription.name}}", findings)).toBe("Contoso Production");
  });

  test("renders a missing tag or resource group empty, and tolerates spaces inside the braces", () => {
    expect(renderTemplate("{{ tag:costcenter }}", [finding()])).toBe("");
    expect(renderTemplate("rg={{resource.group}}", [finding({ resourceGroup: null })])).toBe("rg=");
    expect(renderTemplate("{{ severity }}", [finding()])).toBe("Medium");
  });

  test("cuts the result to the field's length", () => {
    expect(renderTemplate("{{recommendation.name}}", [finding()], 7)).toBe("Storage");
  });

  test("renderDefaults renders every field", () => {
    expect(renderDefaults({ category: "network", u_business_service: "{{tag:env}}" }, [finding()])).toEqual({
      category: "network",
      u_business_service: "prod",
    });
    expect(renderDefaults(undefined, [finding()])).toEqual({});
  });
});

describe("templateErrors", () => {
  test("accepts the documented placeholders", () => {
    expect(
      templateErrors("{{recommendation.name}} {{severity}} {{subscription.name}} {{resource.id}} {{resource.group}} {{tag:a b}}"),
    ).toEqual([]);
  });

  test("names an unknown placeholder and stray braces", () => {
    expect(templateErrors("{{resource.name}}")[0]).toContain("unknown placeholder {{resource.name}}");
    expect(templateErrors("{{severity")).toEqual(["has an unclosed {{ or a stray }}"]);
    expect(templateErrors("severity}}")).toEqual(["has an unclosed {{ or a stray }}"]);
  });
});
