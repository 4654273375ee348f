/**
 * Serialises SQLite access around interactive transactions.
 *
 * Why: the better-sqlite3 adapter has one connection per client and its mutex only orders transactions, so a
 * query from another request issued while an interactive `$transaction` is open runs inside that transaction and
 * is rolled back with it. Here every query outside a transaction waits until no transaction is open.
 */
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

function serialise(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const mutex = new Mutex();
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
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function serialisedFactory(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === 'connect') return async () => serialise(await target.connect());
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
