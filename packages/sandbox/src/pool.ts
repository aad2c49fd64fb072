import type { IsolateSlot } from './isolate-slot.ts';

export interface PoolCounters {
  created: number;
  /** Isolates retired after a timeout, a memory kill or a boundary failure. */
  retired: number;
}

interface Waiter {
  resolve(slot: IsolateSlot): void;
  reject(error: unknown): void;
}

/**
 * Isolates of one heap size. At most `size` exist; a call takes an idle one, creates one if under the
 * cap, or waits in FIFO order. A slot whose isolate died (memory limit, timeout) is dropped on release
 * and replaced on demand, so a bomb costs one isolate and nothing else.
 */
export class IsolatePool {
  readonly size: number;
  readonly memoryMb: number;
  readonly counters: PoolCounters = { created: 0, retired: 0 };
  private readonly create: (memoryMb: number) => Promise<IsolateSlot>;
  private readonly idle: IsolateSlot[] = [];
  private readonly busy = new Set<IsolateSlot>();
  private readonly waiters: Waiter[] = [];
  private starting = 0;
  private closed = false;

  constructor(options: { size: number; memoryMb: number; create: (memoryMb: number) => Promise<IsolateSlot> }) {
    this.size = options.size;
    this.memoryMb = options.memoryMb;
    this.create = options.create;
  }

  get stats(): { isolates: number; busy: number; idle: number; starting: number; queued: number } {
    return { isolates: this.idle.length + this.busy.size, busy: this.busy.size, idle: this.idle.length, starting: this.starting, queued: this.waiters.length };
  }

  /** Starts isolates until `size` exist (warm pool). Resolves when they are ready. */
  async warm(): Promise<void> {
    const missing = this.size - this.idle.length - this.busy.size - this.starting;
    const started: Array<Promise<void>> = [];
    for (let i = 0; i < missing; i++) started.push(this.startOne());
    await Promise.all(started);
  }

  /** An idle isolate now, or undefined when none is idle (the caller then waits with `acquire`). */
  tryAcquire(): IsolateSlot | undefined {
    if (this.closed) return undefined;
    const slot = this.idle.pop();
    if (slot !== undefined) this.busy.add(slot);
    return slot;
  }

  acquire(): Promise<IsolateSlot> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    const slot = this.tryAcquire();
    if (slot !== undefined) return Promise.resolve(slot);
    const promise = new Promise<IsolateSlot>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.idle.length + this.busy.size + this.starting < this.size) void this.startOne();
    return promise;
  }

  release(slot: IsolateSlot): void {
    this.busy.delete(slot);
    if (this.closed || !slot.alive) {
      if (!slot.alive) this.counters.retired++;
      slot.dispose();
      // Replace the dead isolate if someone is waiting for one.
      if (!this.closed && this.waiters.length > this.starting) void this.startOne();
      return;
    }
    this.handOver(slot);
  }

  /** Disposes idle isolates last used before `before` (for pools of non-default heap sizes). */
  trimIdle(before: number): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const slot = this.idle[i];
      if (slot !== undefined && slot.lastUsedAt < before) {
        this.idle.splice(i, 1);
        slot.dispose();
      }
    }
  }

  get empty(): boolean {
    return this.idle.length + this.busy.size + this.starting + this.waiters.length === 0;
  }

  /** Rejects waiters, disposes idle isolates now and busy ones as they are released. */
  close(reason: unknown): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
    for (const slot of this.idle.splice(0)) slot.dispose();
  }

  get busyCount(): number {
    return this.busy.size;
  }

  private handOver(slot: IsolateSlot): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) {
      this.idle.push(slot);
      return;
    }
    this.busy.add(slot);
    waiter.resolve(slot);
  }

  private async startOne(): Promise<void> {
    this.starting++;
    let slot: IsolateSlot;
    try {
      slot = await this.create(this.memoryMb);
      this.counters.created++;
    } catch (error) {
      this.starting--;
      // Nothing to hand out: fail the oldest waiter rather than leave it hanging.
      this.waiters.shift()?.reject(error);
      return;
    }
    this.starting--;
    if (this.closed) {
      slot.dispose();
      return;
    }
    this.handOver(slot);
  }
}
