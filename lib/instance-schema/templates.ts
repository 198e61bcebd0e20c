// Field default templates: a constant, or text with placeholders over the findings being ticketed —
// {{recommendation.name}}, {{severity}}, {{subscription.name}}, {{resource.id}}, {{resource.group}},
// {{tag:<key>}}. A ticket for several findings gets each distinct value once, in the findings' order,
// joined with ", "; {{severity}} is the highest severity. A placeholder with no value renders empty.
// Pure (no server-only): the ticket service renders, the forms validate and preview.

export type TemplateFinding = {
  recommendationName: string;
  severity: "High" | "Medium" | "Low";
  subscriptionName: string;
  resourceId: string;
  resourceGroup: string | null;
  tags: Record<string, string>;
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SIMPLE = ["recommendation.name", "severity", "subscription.name", "resource.id", "resource.group"] as const;
const TAG = /^tag:(.+)$/;
const SEVERITY_RANK = { High: 3, Medium: 2, Low: 1 } as const;

export function isTemplate(value: string): boolean {
  return value.includes("{{");
}

/** What is wrong with a template (empty when it is fine): unknown placeholders, stray braces. */
export function templateErrors(value: string): string[] {
  const errors: string[] = [];
  for (const m of value.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!(SIMPLE as readonly string[]).includes(name) && !TAG.test(name)) {
      errors.push(`unknown placeholder {{${name}}} (use ${[...SIMPLE].map((s) => `{{${s}}}`).join(", ")} or {{tag:<key>}})`);
    }
  }
  const rest = value.replace(PLACEHOLDER, "");
  if (rest.includes("{{") || rest.includes("}}")) errors.push("has an unclosed {{ or a stray }}");
  return errors;
}

function distinct(values: Array<string | null | undefined>): string {
  const seen: string[] = [];
  for (const v of values) if (v && !seen.includes(v)) seen.push(v);
  return seen.join(", ");
}

function valueOf(name: string, findings: TemplateFinding[]): string {
  switch (name) {
    case "recommendation.name":
      return distinct(findings.map((f) => f.recommendationName));
    case "severity":
      return findings.reduce<TemplateFinding["severity"] | "">(
        (top, f) => (top === "" || SEVERITY_RANK[f.severity] > SEVERITY_RANK[top] ? f.severity : top),
        "",
      );
    case "subscription.name":
      return distinct(findings.map((f) => f.subscriptionName));
    case "resource.id":
      return distinct(findings.map((f) => f.resourceId));
    case "resource.group":
      return distinct(findings.map((f) => f.resourceGroup));
    default: {
      const tag = TAG.exec(name)?.[1];
      return tag ? distinct(findings.map((f) => f.tags[tag])) : "";
    }
  }
}

/** The value of a default for these findings (a constant is returned as is). */
export function renderTemplate(value: string, findings: TemplateFinding[], maxLength?: number): string {
  const out = isTemplate(value) ? value.replace(PLACEHOLDER, (_all, name: string) => valueOf(name, findings)).trim() : value;
  return maxLength !== undefined && out.length > maxLength ? out.slice(0, maxLength) : out;
}

/** Every default of a table rendered for these findings. */
export function renderDefaults(
  defaults: Record<string, string> | undefined,
  findings: TemplateFinding[],
  maxLengths: Record<string, number | undefined> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(defaults ?? {})) out[name] = renderTemplate(value, findings, maxLengths[name]);
  return out;
}
