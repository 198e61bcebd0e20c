import "server-only";
import { boss } from "@/lib/jobs/boss";
import { type JobQueue } from "@/lib/jobs/define";
import { ensureQueue } from "@/lib/jobs/queues-sql";
import { wakeLocalWorkers } from "@/lib/jobs/worker";

/** Queues a job; null when the queue's policy refused it (e.g. one is already queued for this key). */
export async function enqueue<TPayload>(
  definition: JobQueue<TPayload>,
  payload: TPayload,
  options: { singletonKey?: string; startAfterSeconds?: number; id?: string } = {},
): Promise<string | null> {
  const data = definition.payload.parse(payload) as object;
  const b = await boss();
  await ensureQueue(b, definition);
  const id = await b.send(definition.name, data, {
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    ...(options.id ? { id: options.id } : {}),
  });
  // A worker in this process picks the job up now rather than at its next poll.
  if (id && !options.startAfterSeconds) wakeLocalWorkers(definition.name);
  return id;
}
