/**
 * Work that lasts (issue 13 §5): the session is saved in this browser and offered back after a reload.
 *
 * Saving: 1 s after the last change to the dataset (labels, class strings, attribute words, templates), the
 * results (or their view settings) or the runs kept side by side, and at once on pagehide. Nothing is saved
 * while a run streams (its end saves), nor while the page holds nothing (an offered session is kept until
 * something new is started, which then replaces it). The image references need each file's SHA-256, computed
 * once per file (async, crypto.subtle); the results' embeddings are written only when the results change, not
 * on a K or method change. Settings are not part of it: settingsStorage.ts keeps them already.
 *
 * Restoring: on start, when a valid record exists, the page holds nothing and no report is being opened
 * (`#report=`; a `#c=` configuration is the page's own address after a reload and carries no data), the prompt
 * offers it. Restore puts back the class strings, attribute words, templates and pattern (not the undo history),
 * the runs, and the results from their stored embeddings (the views compute from them as from a dropped
 * bundle, nothing runs); a pending `#c=` configuration is dropped, the session wins. The images are listed as
 * not attached: dropping the folder again matches files by SHA-256 (reattach.ts), gives matched files their
 * saved paths and labels, and leaves out files not in the session; unmatched references stay listed until
 * dropped too or forgotten. Until the images are back, the results are not compared with the (empty) panel,
 * as with a dropped bundle; once back, with the full setup that produced them.
 *
 * Leaving: a beforeunload warning while an edit or results are not saved yet (scheduleSave's `work`), or a run
 * is in progress.
 */
import { create } from 'zustand';
import { errorMessage } from '../../core/errors';
import { sha256Hex } from '../../model/embeddingCache';
import { usePendingConfig } from '../config';
import { useDataset, type DatasetImage } from '../dataset';
import { ingestFiles, type DroppedFile } from '../ingest/ingest';
import { comparePaths } from '../ingest/layout';
import { currentBundle, openBundle, useResults, type ResultsState } from '../results';
import { knownFileSha256, useRun } from '../run';
import { showKeptRun, useShownRun } from '../runCapture';
import { useRunHistory } from '../runHistory';
import type { SetupSnapshot } from '../staleness';
import { describeReattach, matchReattached } from './reattach';
import { deleteSession, readRecord, readResults, writeSession } from './sessionDb';
import {
  SESSION_FORMAT,
  bundleOf,
  embeddingBytes,
  parseSessionRecord,
  parseStoredResults,
  storedResultsOf,
  tooLargeNote,
  type ImageReference,
  type SessionRecord,
  type SessionResultsMeta,
  type StoredResults,
} from './sessionRecord';

/** Quiet time after the last change before the session is written. */
export const SAVE_DELAY_MS = 1000;

const RUNNING = new Set(['loading', 'text', 'images']);

export interface DetachedImages {
  /** saved images whose files are not in the page (yet) */
  images: ImageReference[];
  sourceLabel: string;
}

export interface SessionState {
  /** the saved session offered for restore (the page held nothing when it was read) */
  offer: SessionRecord | null;
  /** the saved record has been read (or there was none): saving may start */
  ready: boolean;
  detached: DetachedImages | null;
  /** ISO time of the last save */
  savedAt: string | null;
  /** changes not written yet */
  dirty: boolean;
  /** a sentence about the session: a discarded record, results too large to keep, a failed save */
  note: string | null;
  /** the outcome of the last re-attach: its sentence and the dropped files that are not in the session */
  reattached: { sentence: string; notInSession: string[] } | null;
}

export const useSession = create<SessionState>()(() => ({
  offer: null,
  ready: false,
  detached: null,
  savedAt: null,
  dirty: false,
  note: null,
  reattached: null,
}));

// ------------------------------------------------------------------------------------------ hashing

const hashes = new WeakMap<Blob, Promise<string>>();

/** SHA-256 of a file, once per file: a run that read the file already knows it. */
function hashOf(blob: Blob): Promise<string> {
  let hash = hashes.get(blob);
  if (!hash) {
    const known = knownFileSha256(blob);
    hash = known ? Promise.resolve(known) : blob.arrayBuffer().then((buffer) => sha256Hex(new Uint8Array(buffer)));
    hashes.set(blob, hash);
  }
  return hash;
}

/** Files read at once while hashing: every file at once would hold a whole 10,000-image folder in memory. */
const HASH_BATCH = 16;

async function hashAll(blobs: readonly Blob[]): Promise<string[]> {
  const sums: string[] = [];
  for (let i = 0; i < blobs.length; i += HASH_BATCH)
    sums.push(...(await Promise.all(blobs.slice(i, i + HASH_BATCH).map(hashOf))));
  return sums;
}

async function referencesOf(images: readonly DatasetImage[]): Promise<ImageReference[]> {
  const sums = await hashAll(images.map((image) => image.blob));
  return images.map((image, i) => ({
    id: image.id,
    sha256: sums[i],
    size: image.blob.size,
    classFolder: image.classFolder,
    attributeFolder: image.attributeFolder,
    ...(image.split ? { split: image.split } : {}),
  }));
}

// ------------------------------------------------------------------------------------------ saving

/** What identifies the results' embeddings: when one of these changes, the stored results are rewritten. */
function resultsIdentity(state: ResultsState): readonly unknown[] {
  return [state.inferred?.real.records ?? state.records, state.embeddings, state.text, state.prompts, state.source];
}

function sameIdentity(a: readonly unknown[] | null, b: readonly unknown[]): boolean {
  return a !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The results last written (or restored): their identity, id and when they were first saved. */
let written: {
  identity: readonly unknown[];
  resultsId: string;
  madeAt: string;
  bytes: number;
  stored: boolean;
} | null = null;
/** After a restore, the results' setup without images (compared only once images are back) and the full one. */
let restoredSetup: { shown: SetupSnapshot; full: SetupSnapshot } | null = null;

let timer: ReturnType<typeof setTimeout> | undefined;
let changes = 0;
/** the `changes` count of the last change that was work, and of the last save that wrote it */
let workChanges = 0;
let workSaved = 0;
let saving: Promise<void> | null = null;

function hasContent(): boolean {
  return (
    useDataset.getState().images.length > 0 ||
    useSession.getState().detached !== null ||
    useResults.getState().source !== null ||
    useRunHistory.getState().runs.length > 0
  );
}

/**
 * `work`: a change whose loss would cost the user effort (class strings, attribute words, templates, a re-tag,
 * results, runs), which the beforeunload warning protects until it is saved. Dropping images or moving the K
 * slider is saved too, but is not worth a dialog: the folder can be dropped again.
 */
function scheduleSave(work: boolean): void {
  if (!useSession.getState().ready) return;
  changes++;
  if (work) workChanges = changes;
  if (hasContent() && !useSession.getState().dirty) useSession.setState({ dirty: true });
  clearTimeout(timer);
  timer = setTimeout(() => void saveNow(), SAVE_DELAY_MS);
}

/** The record (and the results to write: undefined = unchanged) for the page as it is now. */
async function currentRecord(): Promise<{ record: SessionRecord; results: StoredResults | null | undefined }> {
  const dataset = useDataset.getState();
  const detached = useSession.getState().detached;
  const references = [...(await referencesOf(dataset.images)), ...(detached?.images ?? [])];
  const resultsState = useResults.getState();
  const now = new Date().toISOString();
  let results: StoredResults | null | undefined;
  let meta: SessionResultsMeta | null = null;
  const bundle = resultsState.source ? currentBundle(resultsState) : null;
  if (bundle && resultsState.source) {
    const identity = resultsIdentity(resultsState);
    if (!sameIdentity(written?.identity ?? null, identity)) {
      // the labels the results were made with, not labels inferred later (the views can infer them again)
      const real = resultsState.inferred?.real.records;
      const resultsId = `${now}-${Math.random().toString(36).slice(2, 10)}`;
      results = storedResultsOf(real ? { ...bundle, images: real } : bundle, resultsId);
      const bytes = embeddingBytes(bundle);
      written = { identity, resultsId, madeAt: now, bytes, stored: results !== null };
    }
    const producedBy =
      restoredSetup && resultsState.producedBy === restoredSetup.shown ? restoredSetup.full : resultsState.producedBy;
    const info = written as NonNullable<typeof written>;
    const shownRunId = useShownRun.getState().id;
    meta = {
      resultsId: info.resultsId,
      madeAt: info.madeAt,
      sourceKind: resultsState.source.kind,
      sourceLabel: resultsState.source.label,
      model: bundle.model,
      images: bundle.images.length,
      classes: bundle.classes.length,
      producedBy,
      runtime: resultsState.runtime,
      view: resultsState.view,
      bytes: info.bytes,
      ...(shownRunId ? { shownRunId } : {}),
      stored: info.stored,
    };
  } else if (written) {
    written = null;
    results = null;
  }
  const record: SessionRecord = {
    format: SESSION_FORMAT,
    savedAt: now,
    dataset: {
      sourceLabel: dataset.sourceLabel || detached?.sourceLabel || '',
      images: references,
      classText: { ...dataset.classText },
      attributeText: { ...dataset.attributeText },
      templates: [...dataset.templates],
      groupPromptPattern: dataset.groupPromptPattern,
    },
    results: meta,
    runs: useRunHistory.getState().runs,
  };
  return { record, results };
}

/** Writes the session now (a save already under way is waited for, then this one follows it). */
export async function saveNow(): Promise<void> {
  clearTimeout(timer);
  if (!useSession.getState().ready) return;
  if (saving) {
    await saving;
    return saveNow();
  }
  // the end of the run saves it (the phase change schedules a save)
  if (RUNNING.has(useRun.getState().phase)) return;
  if (!hasContent()) {
    workSaved = changes;
    useSession.setState({ dirty: false });
    return;
  }
  const at = changes;
  saving = (async () => {
    try {
      const { record, results } = await currentRecord();
      await writeSession(record, results);
      workSaved = at;
      const tooLarge = record.results && !record.results.stored ? tooLargeNote(record.results.bytes) : null;
      useSession.setState((s) => ({
        savedAt: record.savedAt,
        dirty: changes !== at,
        offer: null,
        note: tooLarge ?? (s.note?.startsWith('Your session could not be saved') ? null : s.note),
      }));
    } catch (error) {
      // the results will be written again on the next try
      written = null;
      useSession.setState({ note: `Your session could not be saved in this browser: ${errorMessage(error)}` });
    }
  })();
  try {
    await saving;
  } finally {
    saving = null;
  }
}

/** Whether leaving now would lose work: an edit or results not saved yet, or a run in progress. */
export function hasUnsavedWork(): boolean {
  return (workChanges > workSaved && hasContent()) || RUNNING.has(useRun.getState().phase);
}

// ------------------------------------------------------------------------------------------ start

/** A report link opens its own results; anything else (none, `#c=`, `#tour`) may be offered the session. */
function openingSomething(): boolean {
  return /^#report=/.test(location.hash);
}

function pageIsEmpty(): boolean {
  return useDataset.getState().images.length === 0 && useResults.getState().source === null;
}

let started = false;

/** Reads the saved session, offers it when the page is empty, then saves on every change. Call once. */
export function startSessionPersistence(): () => void {
  if (started) return () => {};
  started = true;
  void (async () => {
    try {
      const raw = await readRecord();
      if (raw !== undefined) {
        const parsed = parseSessionRecord(raw);
        if (!parsed.ok) {
          useSession.setState({ note: parsed.note });
          await deleteSession();
        } else if (pageIsEmpty() && !openingSomething()) useSession.setState({ offer: parsed.value });
      }
    } catch (error) {
      useSession.setState({ note: `The saved session could not be read: ${errorMessage(error)}` });
    } finally {
      useSession.setState({ ready: true });
      if (hasContent()) scheduleSave(false);
    }
  })();
  const unsubscribe = [
    useDataset.subscribe((s, p) => {
      const edited =
        s.classText !== p.classText ||
        s.attributeText !== p.attributeText ||
        s.templates !== p.templates ||
        s.groupPromptPattern !== p.groupPromptPattern ||
        // a re-tag keeps the images and changes their labels; an added folder changes how many there are
        (s.images !== p.images && s.images.length === p.images.length);
      if (edited || s.images !== p.images || s.sourceLabel !== p.sourceLabel) scheduleSave(edited);
    }),
    useResults.subscribe((s, p) => {
      const results = s.source !== p.source || s.records !== p.records || s.prompts !== p.prompts;
      if (results || s.view !== p.view || s.producedBy !== p.producedBy || s.runtime !== p.runtime)
        scheduleSave(results);
    }),
    useRunHistory.subscribe((s, p) => {
      if (s.runs !== p.runs) scheduleSave(true);
    }),
    useRun.subscribe((s, p) => {
      if (s.phase !== p.phase) scheduleSave(false);
    }),
    useSession.subscribe((s, p) => {
      if (s.detached !== p.detached) scheduleSave(false);
    }),
  ];
  const onPageHide = () => void saveNow();
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!hasUnsavedWork()) return;
    event.preventDefault();
    // older browsers show the dialog only with a returnValue
    event.returnValue = '';
  };
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('beforeunload', onBeforeUnload);
  return () => {
    started = false;
    unsubscribe.forEach((u) => u());
    window.removeEventListener('pagehide', onPageHide);
    window.removeEventListener('beforeunload', onBeforeUnload);
  };
}

// ------------------------------------------------------------------------------------------ restore

/** Puts the offered session back: labels, templates, runs, and the results from their stored embeddings. */
export async function restoreSession(): Promise<void> {
  const record = useSession.getState().offer;
  if (!record) return;
  const { dataset } = record;
  useDataset.setState({
    classText: { ...dataset.classText },
    attributeText: { ...dataset.attributeText },
    templates: [...dataset.templates],
    groupPromptPattern: dataset.groupPromptPattern,
  });
  usePendingConfig.getState().set(null, '');
  useRunHistory.getState().replaceAll(record.runs);
  let note: string | null = null;
  const meta = record.results;
  if (meta && !meta.stored) note = tooLargeNote(meta.bytes);
  else if (meta) {
    try {
      const parsed = parseStoredResults(await readResults(), meta);
      if (parsed.ok) showRestoredResults(parsed.value, meta);
      else note = parsed.note;
    } catch (error) {
      note = `The saved results could not be read: ${errorMessage(error)}`;
    }
  }
  useSession.setState({
    offer: null,
    detached: dataset.images.length > 0 ? { images: dataset.images, sourceLabel: dataset.sourceLabel } : null,
    note,
    reattached: null,
  });
}

function showRestoredResults(stored: StoredResults, meta: SessionResultsMeta): void {
  const full = meta.producedBy;
  // compared with the panel only once the images are back (see the module comment)
  const shown = full ? { ...full, images: undefined } : null;
  openBundle(
    bundleOf(stored),
    { kind: meta.sourceKind, label: meta.sourceLabel },
    { producedBy: shown ?? undefined, runtime: meta.runtime, view: meta.view },
  );
  if (meta.shownRunId) showKeptRun(meta.shownRunId);
  const state = useResults.getState();
  restoredSetup = full && state.producedBy ? { shown: state.producedBy, full } : null;
  written = {
    identity: resultsIdentity(state),
    resultsId: meta.resultsId,
    madeAt: meta.madeAt,
    bytes: meta.bytes,
    stored: true,
  };
}

/** Forgets the offered session (and its stored results). */
export async function discardSession(): Promise<void> {
  useSession.setState({ offer: null });
  try {
    await deleteSession();
  } catch (error) {
    useSession.setState({ note: `The saved session could not be deleted: ${errorMessage(error)}` });
  }
}

// ------------------------------------------------------------------------------------------ re-attach

/** Re-attaches dropped files to the restored images by content; the sentence says what happened. */
export async function reattachFiles(files: readonly DroppedFile[]): Promise<string> {
  const detached = useSession.getState().detached;
  if (!detached) return 'There are no saved images to re-attach.';
  const ingested = await ingestFiles(files);
  const sums = await hashAll(ingested.images.map((image) => image.blob));
  const match = matchReattached(
    detached.images,
    ingested.images.map((image, i) => ({ path: image.id, sha256: sums[i], blob: image.blob })),
  );
  // in path order, as a dropped folder is (a renamed file is matched last but keeps its saved place)
  const matched = [...match.matched].sort((a, b) => comparePaths(a.reference.id, b.reference.id));
  const images = matched.map(({ reference, file }) => ({
    id: reference.id,
    blob: file.blob,
    classFolder: reference.classFolder,
    attributeFolder: reference.attributeFolder,
    ...(reference.split ? { split: reference.split } : {}),
  }));
  if (images.length > 0) {
    useDataset
      .getState()
      .addIngested(
        { images, skipped: ingested.skipped, notes: [], specials: [] },
        detached.sourceLabel || 'your images',
      );
    const results = useResults.getState();
    const thumbnails = new Map(results.thumbnails);
    for (const image of images) thumbnails.set(image.id, image.blob);
    const patch: Partial<ResultsState> = { thumbnails };
    // the images are back: the results are compared with the panel again, with the setup that produced them
    if (restoredSetup && results.producedBy === restoredSetup.shown) {
      patch.producedBy = restoredSetup.full;
      restoredSetup = null;
    }
    useResults.setState(patch);
  }
  const notInSession = match.notInSession.map((f) => f.path);
  const sentence = describeReattach({
    matched: images.length,
    notInSession,
    missing: match.missing.map((r) => r.id),
  });
  useSession.setState({
    detached: match.missing.length > 0 ? { ...detached, images: match.missing } : null,
    reattached: { sentence, notInSession },
  });
  return sentence;
}

/** Stops waiting for the images not re-attached: they leave the session. */
export function forgetDetached(): void {
  useSession.setState({ detached: null });
}
