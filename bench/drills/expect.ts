// Drill assertions: a failed one throws with what was seen, and the runner reports it (exit 1).
export class DrillFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DrillFailure";
  }
}

export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DrillFailure(message);
}

export function expectEmpty(problems: string[], what: string): void {
  if (problems.length) throw new DrillFailure(`${what}: ${problems.join("; ")}`);
}
