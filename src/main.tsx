import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startRunCapture } from './state/runCapture';
import { App } from './ui/App';

// each finished run (and opened bundle or report) is kept for the runs-compared table
startRunCapture();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
