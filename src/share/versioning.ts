/**
 * Migration hook shared by share links and reports: a payload written by an older format version is
 * brought forward one version at a time. Each step may refuse with a reason (a format we can no longer
 * read), which the user sees verbatim.
 */
import { errorMessage } from '../core/errors';

export type MigrationStep = (payload: unknown) => { ok: true; payload: unknown } | { ok: false; error: string };

/** `steps[v]` turns a version-v payload into a version-(v+1) payload. */
export type Migrations = Readonly<Record<number, MigrationStep>>;

export type MigrationResult = { ok: true; payload: unknown; migratedFrom?: number } | { ok: false; error: string };

/**
 * `what` names the artefact for messages, e.g. "link" or "report"; `label(v)` renders a version
 * the way users see it ("v3", "sage-report/3").
 */
export function migrateToCurrent(
  payload: unknown,
  version: number,
  current: number,
  migrations: Migrations,
  what: string,
  label: (version: number) => string,
): MigrationResult {
  if (version === current) return { ok: true, payload };
  if (version > current) {
    return {
      ok: false,
      error: `this ${what} was made by a newer version (${label(version)}); this app reads ${label(current)}. Update the app or ask for a ${label(current)} ${what}.`,
    };
  }
  let value = payload;
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) {
      return {
        ok: false,
        error: `this ${what} is ${label(version)}, which this app (${label(current)}) can no longer read: no migration from ${label(v)}`,
      };
    }
    let stepped: ReturnType<MigrationStep>;
    try {
      stepped = step(value);
    } catch (e) {
      return { ok: false, error: `migrating this ${what} from ${label(v)} failed: ${errorMessage(e)}` };
    }
    if (!stepped.ok)
      return { ok: false, error: `this ${what} is ${label(version)} and cannot be upgraded: ${stepped.error}` };
    value = stepped.payload;
  }
  return { ok: true, payload: value, migratedFrom: version };
}
