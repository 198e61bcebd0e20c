import { Construction } from "lucide-react";
import { Card } from "@/components/ui/card";

/** Honest placeholder for a page whose feature has not landed yet. */
export function NotYetAvailable({ feature, detail }: { feature: string; detail: string }) {
  return (
    <Card className="mx-auto mt-6 max-w-2xl p-8 text-center">
      <Construction aria-hidden className="mx-auto size-8 text-warning" />
      <h2 className="mt-3 text-base font-semibold">{feature} is not available yet</h2>
      <p className="mt-1 text-sm text-muted">{detail}</p>
    </Card>
  );
}
