/** Per-user cooldown and running-job count: one person cannot fill the queue from Discord. */
export class UserLimits {
  private readonly lastStart = new Map<string, number>();
  private readonly running = new Map<string, number>();

  constructor(
    private readonly cooldownMs: number,
    private readonly jobsPerUser: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Why `user` cannot start an edit now, or null (and the start is counted). */
  tryStart(user: string): string | null {
    const active = this.running.get(user) ?? 0;
    if (active >= this.jobsPerUser)
      return this.jobsPerUser === 1
        ? 'You already have an edit running: wait for it to finish.'
        : `You already have ${active} edits running (the most at once is ${this.jobsPerUser}).`;
    const wait = (this.lastStart.get(user) ?? -Infinity) + this.cooldownMs - this.now();
    if (wait > 0) return `Slow down: you can start another edit in ${Math.ceil(wait / 1000)} s.`;
    this.lastStart.set(user, this.now());
    this.running.set(user, active + 1);
    return null;
  }

  finish(user: string): void {
    const active = (this.running.get(user) ?? 1) - 1;
    if (active <= 0) this.running.delete(user);
    else this.running.set(user, active);
  }
}
