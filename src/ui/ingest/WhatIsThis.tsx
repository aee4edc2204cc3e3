import './whatIsThis.css';

/** The first screen's two sentences: what the app shows and what SAGE does, with the two papers behind it. */
export function WhatIsThis() {
  return (
    <p className="what-is-this" data-testid="what-is-this">
      <strong>What is this?</strong> SAGE Explorer shows how often CLIP is right on each group of your images (e.g.
      waterbirds on land), which exposes a model that leans on a spurious feature such as the background (
      <a href="https://arxiv.org/abs/2304.03916" target="_blank" rel="noopener noreferrer">
        Yang et al., ICML 2023
      </a>
      ).{' '}
      <a href="https://arxiv.org/abs/2511.13005" target="_blank" rel="noopener noreferrer">
        SAGE (AAAI 2026)
      </a>{' '}
      picks, for each image, the prompts that tell its classes apart best, which can lift the worst group without
      training.
    </p>
  );
}
