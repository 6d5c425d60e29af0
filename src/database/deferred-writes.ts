import type { EntityManager } from 'typeorm';

/** Writes the rows of one group (e.g. every transcript line of a batch) in as few statements as it can. */
export type FlushRows<T> = (rows: T[], manager: EntityManager) => Promise<void>;

/**
 * Writes of one processing batch that need no answer, collected per group and written once per batch (one
 * multi-row statement each, before the batch's transaction commits) instead of once per event. Rows added
 * while an event runs are staged: they join the batch when the event succeeds and are dropped when it fails or
 * is put back, so such an event leaves nothing behind here either.
 */
export class DeferredWrites {
  private readonly groups = new Map<string, { flush: FlushRows<unknown>; rows: unknown[] }>();
  private staged: Array<{ group: string; flush: FlushRows<unknown>; row: unknown }> = [];

  add<T>(group: string, row: T, flush: FlushRows<T>): void {
    this.staged.push({ group, flush: flush as FlushRows<unknown>, row });
  }

  /** The current event succeeded: its rows join the batch. */
  keepStaged(): void {
    for (const { group, flush, row } of this.staged) {
      const entry = this.groups.get(group) ?? { flush, rows: [] };
      entry.rows.push(row);
      this.groups.set(group, entry);
    }
    this.staged = [];
  }

  /** The current event failed or was put back: its rows go too. */
  dropStaged(): void {
    this.staged = [];
  }

  /** Writes every group, in the order each was first added to. */
  async flush(manager: EntityManager): Promise<void> {
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const { flush, rows } of groups) await flush(rows, manager);
  }
}
