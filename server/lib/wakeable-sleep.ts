/**
 * A sleep that another part of the process can cut short: a worker loop (the engine, the trigger
 * dispatcher) sleeps until its next poll and is woken as soon as new work may be there. Waking
 * while nobody sleeps does nothing (the loop checks for work before it sleeps again).
 */
export class WakeableSleep {
  private wakeUp: (() => void) | null = null;

  /** Resolves after `ms`, or at the next wake(), whichever comes first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Ends the current sleep now, if there is one. */
  wake(): void {
    this.wakeUp?.();
  }
}
