import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface NewWebhookEvent {
  eventType: string;
  dedupeKey: string;
  source: string;
  /** The raw body, stored as jsonb. */
  payload: string;
  status: 'pending' | 'ignored';
  receivedAt: Date;
  /** `callerHashFor`: which processing worker takes it. */
  callerHash: number;
}

interface Waiting {
  row: NewWebhookEvent;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

/** Rows per INSERT, and INSERTs in flight at once (the rest wait and join the next group). */
const MAX_GROUP = 200;
const MAX_IN_FLIGHT = 4;
/** jsonb refused the text (a \u0000 escape): only that delivery is at fault. */
const BAD_JSON_CODES = new Set(['22P05', '22P02']);

/**
 * Group commit for webhook deliveries: rows that arrive while earlier INSERTs are in flight are stored
 * together by one multi-row `INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING` (autocommit), and each
 * caller is answered only once the statement holding its row has committed. Under load this turns one
 * round trip per delivery into one per group; alone, a delivery is written at once.
 */
@Injectable()
export class WebhookEventWriter {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Resolves true when stored, false when a delivery with the same dedupe key was stored before. */
  insert(row: NewWebhookEvent): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.length && this.inFlight < MAX_IN_FLIGHT) {
      const group = this.waiting.splice(0, MAX_GROUP);
      this.inFlight += 1;
      void this.write(group).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async write(group: Waiting[]): Promise<void> {
    try {
      const stored = await this.insertRows(group.map((waiting) => waiting.row));
      // The first of several copies in one group is the stored one; the others are duplicates of it.
      for (const waiting of group) {
        const first = stored.delete(waiting.row.dedupeKey);
        waiting.resolve(first);
      }
    } catch (error) {
      if (group.length > 1 && BAD_JSON_CODES.has((error as { code?: string }).code ?? '')) {
        // One bad body must not fail its neighbours: store them one by one, so only it is refused.
        await Promise.all(group.map((waiting) => this.write([waiting])));
        return;
      }
      for (const waiting of group) waiting.reject(error);
    }
  }

  private async insertRows(rows: NewWebhookEvent[]): Promise<Set<string>> {
    const result: Array<{ dedupe_key: string }> = await this.dataSource.query(
      `INSERT INTO webhook_events (event_type, dedupe_key, source, payload, status, received_at, next_attempt_at, processed_at, caller_hash)
       SELECT r.event_type, r.dedupe_key, r.source, r.payload::jsonb, r.status, r.received_at, r.received_at,
              CASE WHEN r.status = 'ignored' THEN r.received_at END, r.caller_hash
         FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[], $5::varchar[], $6::timestamptz[], $7::integer[])
           AS r(event_type, dedupe_key, source, payload, status, received_at, caller_hash)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
      [
        rows.map((row) => row.eventType.slice(0, 64)),
        rows.map((row) => row.dedupeKey),
        rows.map((row) => row.source),
        rows.map((row) => row.payload),
        rows.map((row) => row.status),
        rows.map((row) => row.receivedAt),
        rows.map((row) => row.callerHash),
      ],
    );
    return new Set(result.map((row) => row.dedupe_key));
  }
}
