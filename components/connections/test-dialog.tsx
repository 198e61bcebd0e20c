"use client";
import { type ReactNode, useEffect } from "react";
import { CircleAlert, CircleCheck, CircleMinus, CircleX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState, LoadingState } from "@/components/ui/states";

// "Test connection" for both kinds of connection: runs the test when opened, lists each step with what
// to fix, and offers "Test again".

export type TestStep = { id: string; label: string; status: "ok" | "warning" | "failed" | "skipped"; message: string };
export type TestResult = { isOk: boolean; durationMs: number; steps: TestStep[] };

/** The mutation of the connection's test endpoint (a React Query `useMutation` result). */
type TestMutation<R extends TestResult> = {
  mutate: (id: string) => void;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: R | undefined;
};

const ICON = { ok: CircleCheck, warning: CircleAlert, failed: CircleX, skipped: CircleMinus } as const;
const TONE = { ok: "text-success", warning: "text-warning", failed: "text-danger", skipped: "text-muted" } as const;
const WORD = { ok: "OK", warning: "Warning", failed: "Failed", skipped: "Skipped" } as const;

function Step({ step }: { step: TestStep }) {
  const Icon = ICON[step.status];
  return (
    <li className="flex items-start gap-2 py-2">
      <Icon aria-hidden className={cn("mt-0.5 size-4 shrink-0", TONE[step.status])} />
      <div className="min-w-0">
        <p className="text-sm font-medium">
          {step.label} <span className={cn("text-xs font-normal", TONE[step.status])}>· {WORD[step.status]}</span>
        </p>
        <p className="text-xs break-words text-muted">{step.message}</p>
      </div>
    </li>
  );
}

export function TestConnectionDialog<R extends TestResult>(props: {
  id: string;
  name: string;
  description: string;
  test: TestMutation<R>;
  loadingLabel: string;
  /** A note under the steps, from the result. */
  note?: (result: R) => ReactNode;
  onClose: () => void;
}) {
  const { id, test, onClose } = props;
  const { mutate } = test;
  useEffect(() => {
    mutate(id);
  }, [id, mutate]);

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Test connection: ${props.name}`}
      description={props.description}
      footer={
        <>
          <Button onClick={() => test.mutate(id)} isLoading={test.isPending}>
            Test again
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {test.isPending ? (
        <LoadingState label={props.loadingLabel} />
      ) : test.isError ? (
        <ErrorState title="The test could not run" error={test.error} />
      ) : test.data ? (
        <div>
          <p role="status" className={cn("text-sm font-medium", test.data.isOk ? "text-success" : "text-danger")}>
            {test.data.isOk ? "Connection works." : "The connection has problems."}{" "}
            <span className="text-xs font-normal text-muted">({test.data.durationMs} ms)</span>
          </p>
          <ul className="mt-2 divide-y divide-border" aria-label="Test steps">
            {test.data.steps.map((s) => (
              <Step key={s.id} step={s} />
            ))}
          </ul>
          {props.note?.(test.data)}
        </div>
      ) : null}
    </Dialog>
  );
}
