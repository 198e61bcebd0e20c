"use client";
import { Badge } from "@/components/ui/badge";
import { splitTags, tagLabel } from "./tags";

/**
 * A resource's tags, compact: owner and environment as badges, the others behind a disclosure (a native
 * <details>, so it opens with Enter or Space and screen readers announce it as expandable).
 */
export function ResourceTags({ tags, resourceName }: { tags: Record<string, string>; resourceName: string }) {
  const { primary, others } = splitTags(tags);
  if (primary.length === 0 && others.length === 0) return null;
  const count = `${others.length} ${others.length === 1 ? "tag" : "tags"}`;
  return (
    <div className="mt-1 flex flex-wrap items-start gap-1" aria-label={`Tags of ${resourceName}`} role="group">
      {primary.map((t) => (
        <Badge key={t.key} title={`Azure tag ${t.key}`}>
          {tagLabel(t)}
        </Badge>
      ))}
      {others.length > 0 ? (
        <details className="text-xs">
          <summary
            className="cursor-pointer text-muted hover:text-fg"
            aria-label={`${primary.length > 0 ? "More tags" : "Tags"} of ${resourceName} (${count})`}
          >
            {primary.length > 0 ? `+${count}` : count}
          </summary>
          <ul className="mt-1 flex flex-wrap gap-1">
            {others.map((t) => (
              <li key={t.key}>
                <Badge>{tagLabel(t)}</Badge>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
