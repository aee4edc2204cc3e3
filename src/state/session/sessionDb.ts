/**
 * The session's IndexedDB database ('sage-explorer-session', apart from the embedding cache so clearing one
 * leaves the other): one store, key 'session' for the record and 'results' for the stored embeddings. Thin on
 * purpose: what is read is unknown until sessionRecord.ts checks it.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { SessionRecord, StoredResults } from './sessionRecord';

const DB_NAME = 'sage-explorer-session';
const STORE = 'session';
const RECORD_KEY = 'session';
const RESULTS_KEY = 'results';

let opening: Promise<IDBPDatabase> | null = null;

function database(): Promise<IDBPDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available'));
  opening ??= openDB(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore(STORE);
    },
  });
  return opening;
}

export async function readRecord(): Promise<unknown> {
  return (await database()).get(STORE, RECORD_KEY);
}

export async function readResults(): Promise<unknown> {
  return (await database()).get(STORE, RESULTS_KEY);
}

/**
 * Writes the record and, when given, the results in one transaction (never one without the other);
 * `results` null deletes the stored results, undefined keeps them.
 */
export async function writeSession(record: SessionRecord, results: StoredResults | null | undefined): Promise<void> {
  const tx = (await database()).transaction(STORE, 'readwrite');
  const writes: Promise<unknown>[] = [tx.store.put(record, RECORD_KEY)];
  if (results) writes.push(tx.store.put(results, RESULTS_KEY));
  else if (results === null) writes.push(tx.store.delete(RESULTS_KEY));
  await Promise.all([...writes, tx.done]);
}

export async function deleteSession(): Promise<void> {
  const tx = (await database()).transaction(STORE, 'readwrite');
  await Promise.all([tx.store.delete(RECORD_KEY), tx.store.delete(RESULTS_KEY), tx.done]);
}
