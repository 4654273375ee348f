/**
 * Serialises SQLite access around interactive transactions.
 *
 * Why: the better-sqlite3 adapter has one connection per client and its mutex only orders transactions, so a
 * query from another request issued while an interactive `$transaction` is open runs inside that transaction and
 * is rolled back with it. Here every query outside a transaction waits until no transaction is open.
 */
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type { SqliteClientLike, SqliteGate } from './sql.js';

/** A FIFO lock; `tryAcquire` takes it without waiting when it is free (the direct statements' fast path). */
export class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  tryAcquire(): (() => void) | null {
    if (this.held) return null;
    this.held = true;
    return this.releaser();
  }

  acquire(): Promise<() => void> {
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => this.waiters.push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // Hand the lock straight to the next waiter, so a tryAcquire cannot overtake the queue.
      const next = this.waiters.shift();
      if (next) next();
      else this.held = false;
    };
  }
}

function serialise(adapter: SqlDriverAdapter, mutex: Mutex, gate?: SqliteGate): SqlDriverAdapter {
  const locked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await mutex.acquire();
      try {
        return await fn(...args);
      } finally {
        release();
      }
    };
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'queryRaw' || prop === 'executeRaw' || prop === 'executeScript') {
        return locked((target[prop] as (...a: unknown[]) => Promise<unknown>).bind(target));
      }
      if (prop === 'startTransaction') {
        return async (...args: Parameters<SqlDriverAdapter['startTransaction']>): Promise<Transaction> => {
          const release = await mutex.acquire();
          let tx: Transaction;
          try {
            tx = await target.startTransaction(...args);
          } catch (e) {
            release();
            throw e;
          }
          const end =
            (fn: () => Promise<void>) =>
            async (): Promise<void> => {
              try {
                await fn();
              } finally {
                release();
              }
            };
          return new Proxy(tx, {
            get(t, p, r) {
              if (p === 'commit') return end(() => t.commit());
              if (p === 'rollback') return end(() => t.rollback());
              const v = Reflect.get(t, p, r);
              return typeof v === 'function' ? v.bind(t) : v;
            },
          });
        };
      }
      if (prop === 'dispose' && gate)
        return async () => {
          if (gate.client === (target as unknown as { client: unknown }).client) gate.client = null;
          await target.dispose();
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Wraps the adapter factory so that its connection is serialised. `gate` receives the connection's better-sqlite3
 * client and shares the lock, for the direct statements of `sql.ts`.
 */
export function serialisedFactory(factory: SqlMigrationAwareDriverAdapterFactory, gate?: SqliteGate): SqlMigrationAwareDriverAdapterFactory {
  const mutex = new Mutex();
  if (gate) {
    gate.acquire = () => mutex.acquire();
    gate.tryAcquire = () => mutex.tryAcquire();
  }
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === 'connect')
        return async () => {
          const adapter = await target.connect();
          // The adapter keeps its better-sqlite3 Database in the public `client` field.
          if (gate) gate.client = (adapter as unknown as { client: SqliteClientLike }).client;
          return serialise(adapter, mutex, gate);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
