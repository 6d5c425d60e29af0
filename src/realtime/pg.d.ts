// The part of `pg` (8.x) the realtime listener and prepared queries (`src/database/prepared-query.ts`) use; the project has no @types/pg (TypeORM loads pg untyped).
declare module 'pg' {
  import type { EventEmitter } from 'node:events';

  interface ClientConfig {
    connectionString?: string;
    application_name?: string;
    keepAlive?: boolean;
  }
  interface Notification {
    processId: number;
    channel: string;
    payload?: string;
  }
  class Client extends EventEmitter {
    constructor(config?: ClientConfig);
    readonly processID: number | null;
    connect(): Promise<void>;
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
    /** A named prepared statement: parsed and planned once per connection. */
    query<R = Record<string, unknown>>(config: { name: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
    end(): Promise<void>;
    on(event: 'notification', listener: (message: Notification) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'end', listener: () => void): this;
  }
  const pg: { Client: typeof Client };
  export default pg;
  export { Client, ClientConfig, Notification };
}
