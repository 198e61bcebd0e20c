"use client";
import { type TSeverityMapping } from "@/lib/schemas/connections";

const LEVELS = [
  [1, "1 – High"],
  [2, "2 – Medium"],
  [3, "3 – Low"],
] as const;
const SEVERITIES = ["High", "Medium", "Low"] as const;
const CONTROL = "h-8 w-full rounded-md border border-border bg-surface px-2 text-sm";

/** Defender severity → ServiceNow impact, urgency and remediation timeframe, one row per severity. */
export function SeverityMappingFields({
  value,
  onChange,
  error,
}: {
  value: TSeverityMapping;
  onChange: (next: TSeverityMapping) => void;
  error?: string;
}) {
  const set = (severity: (typeof SEVERITIES)[number], key: "impact" | "urgency" | "remediationDays", v: number) =>
    onChange({ ...value, [severity]: { ...value[severity], [key]: v } });
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-semibold">Severity mapping</legend>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-muted">
          <tr>
            <th scope="col" className="py-1 font-medium">
              Defender severity
            </th>
            <th scope="col" className="py-1 font-medium">
              Impact
            </th>
            <th scope="col" className="py-1 font-medium">
              Urgency
            </th>
            <th scope="col" className="py-1 font-medium">
              Remediation days
            </th>
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((s) => (
            <tr key={s}>
              <th scope="row" className="py-1 pr-2 text-left font-medium">
                {s}
              </th>
              {(["impact", "urgency"] as const).map((key) => (
                <td key={key} className="py-1 pr-2">
                  <select
                    aria-label={`${s} ${key}`}
                    className={CONTROL}
                    value={value[s][key]}
                    onChange={(e) => set(s, key, Number(e.target.value))}
                  >
                    {LEVELS.map(([n, label]) => (
                      <option key={n} value={n}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
              ))}
              <td className="py-1">
                <input
                  aria-label={`${s} remediation days`}
                  type="number"
                  min={1}
                  max={365}
                  className={CONTROL}
                  value={value[s].remediationDays}
                  onChange={(e) => set(s, "remediationDays", Number(e.target.value))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error ? <p className="mt-1 text-xs text-danger">{error}</p> : null}
    </fieldset>
  );
}
