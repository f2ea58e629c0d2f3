import { performance } from 'node:perf_hooks';

export interface Stage {
  label: string;
  /** The stack's output source (process name) that reports this stage's readiness. */
  source: string;
  ready: RegExp;
}

/** "starting broker… ok (1.2 s)", one line per stage, so a slow or failing stage is obvious. */
export class Progress {
  private current: { label: string; startedAt: number } | undefined;

  constructor(
    private readonly out: { write(text: string): unknown } = process.stdout,
    private readonly now: () => number = () => performance.now(),
  ) {}

  begin(label: string): void {
    this.out.write(`starting ${label}… `);
    this.current = { label, startedAt: this.now() };
  }

  succeed(): void {
    if (!this.current) return;
    this.out.write(`ok (${((this.now() - this.current.startedAt) / 1000).toFixed(1)} s)\n`);
    this.current = undefined;
  }

  fail(): void {
    if (!this.current) return;
    this.out.write('failed\n');
    this.current = undefined;
  }

  async step<T>(label: string, work: () => Promise<T>): Promise<T> {
    this.begin(label);
    try {
      const result = await work();
      this.succeed();
      return result;
    } catch (error) {
      this.fail();
      throw error;
    }
  }

  /**
   * Progress for processes that a single call starts one after another (Stack.start): each stage
   * ends when its process prints its ready line, and the next begins at that moment.
   * Returns the output listener; call fail() if the start rejects.
   */
  follow(stages: readonly Stage[]): (source: string, line: string) => void {
    let next = 0;
    const beginNext = () => {
      if (next < stages.length) this.begin(stages[next].label);
    };
    beginNext();
    return (source, line) => {
      const stage = stages[next];
      if (stage && source === stage.source && stage.ready.test(line)) {
        this.succeed();
        next += 1;
        beginNext();
      }
    };
  }
}
