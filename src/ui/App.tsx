import { useEffect } from 'react';
import { useDataset } from '../state/dataset';
import { startSessionPersistence, useSession } from '../state/session/session';
import { useResults } from '../state/results';
import { DatasetView } from './dataset/DatasetView';
import { DropZone } from './ingest/DropZone';
import { SkippedList } from './ingest/SkippedList';
import { TryExample } from './ingest/StartScreen';
import { WhatIsThis } from './ingest/WhatIsThis';
import { ResultsView } from './results/ResultsView';
import { useResultsInput } from './results/useResultsInput';
import { RunPanel } from './run/RunPanel';
import { ConfigBanner } from './share/ConfigBanner';
import { ShareBar } from './share/ShareBar';
import { TrainPanel } from './train/TrainPanel';
import { useConfigInUrl } from './share/useConfigInUrl';
import { PresentButton } from './present/Presentation';
import { ThemeToggle } from './theme';
import { Tour } from './tour/Tour';
import { useTour } from '../state/tour';
import { useHashRoute } from './useHashRoute';
import { DetachedDataset } from './session/DetachedDataset';
import { ReattachImages, ReattachOutcome } from './session/ReattachImages';
import { RestoreSession } from './session/RestoreSession';
import { SessionStatus } from './session/SessionStatus';
import './styles.css';

export function App() {
  useHashRoute();
  useConfigInUrl();
  const hasImages = useDataset((s) => s.images.length > 0);
  const hasResults = useResults((s) => s.source !== null);
  const hasSkipped = useDataset((s) => s.skipped.length > 0);
  const input = useResultsInput();
  // issue 13 §5: the session is saved in this browser and offered back after a reload
  useEffect(() => startSessionPersistence(), []);
  const detached = useSession((s) => s.detached !== null);
  const started = hasImages || hasResults || detached;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div>
          <h1>SAGE Explorer</h1>
          <p className="tagline">
            Does CLIP lean on a spurious feature of your images, and does SAGE's prompt choice help?{' '}
            <strong>Images never leave your device.</strong>
          </p>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="secondary"
            onClick={() => useTour.getState().start()}
            data-testid="start-tour"
          >
            Guided tour
          </button>
          {hasResults && <PresentButton />}
          <ThemeToggle />
        </div>
      </header>
      <main id="main">
        <ConfigBanner />
        <section className={`panel ingest${started ? ' compact' : ''}`} aria-labelledby="ingest-heading" id="ingest">
          <h2 id="ingest-heading">
            {detached
              ? 'Re-attach your images'
              : started
                ? 'Add data'
                : 'Start: drop in grouped images, or try the example'}
          </h2>
          {!started && <RestoreSession />}
          {!started && <WhatIsThis />}
          {!started && <TryExample />}
          {detached ? <ReattachImages /> : <DropZone compact={started} />}
          <ReattachOutcome />
          {hasSkipped && <SkippedList />}
        </section>
        <DatasetView empty={<DetachedDataset />} />
        <RunPanel />
        <ResultsView />
        {hasResults && <TrainPanel />}
        {hasResults && <ShareBar input={input} />}
      </main>
      <Tour />
      <footer className="app-footer">
        <p>
          Everything runs in this tab: CLIP runs in a web worker and images are read locally. Images never leave your
          device.
        </p>
        <SessionStatus />
      </footer>
    </>
  );
}
