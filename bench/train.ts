/**
 * `npm run bench:train [-- --epochs N]`: training time of the Yang et al. 2023 adapter (issue 15) on this machine,
 * for 1k and 10k images, d = 512, 2 classes, 8 templates, variants ls and vs (default 20 epochs). 1k trains in full
 * batches (500 train images), 10k in seeded mini-batches of 128 (5,000 train images). Prints wall-clock and CPU time
 * with the load average (the machine may be shared) and writes bench/train-results.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AdapterVariant,
  adapterDataFromBundle,
  chooseTrainingTemplates,
  stratifiedSplit,
  trainAdapter,
} from '../src/core';
import { plantedBundle } from '../src/core/plantedBundle.fixture';

interface TrainCase {
  images: number;
  trainImages: number;
  variant: AdapterVariant;
  epochs: number;
  fullBatch: boolean;
  wallMs: number;
  cpuMs: number;
  msPerEpoch: number;
  bestEpoch: number;
  testWGA: number;
  loadAverage1m: { before: number; after: number };
}

const DIM = 512;

function epochsFlag(): number {
  const at = process.argv.indexOf('--epochs');
  const value = at >= 0 ? Number(process.argv[at + 1]) : 20;
  if (!Number.isInteger(value) || value < 1) throw new Error('--epochs: expected a whole number of at least 1');
  return value;
}

function runCase(images: number, variant: AdapterVariant, epochs: number): TrainCase {
  const bundle = plantedBundle({ seed: 1, dim: DIM, perClass: images / 2 });
  const splits = stratifiedSplit(bundle.images, 1);
  const data = adapterDataFromBundle(bundle, { splits, templates: chooseTrainingTemplates(bundle.templates) });
  const trainImages = splits.filter((split) => split === 'train').length;
  const before = loadavg()[0];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let testWGA = NaN;
  const adapter = trainAdapter(
    data,
    { variant, epochs, seed: 1 },
    {
      onEpoch: (report) => {
        if (report.epoch === report.bestEpoch) testWGA = report.splits.test.worstGroupAccuracy;
      },
    },
  );
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return {
    images,
    trainImages,
    variant,
    epochs,
    fullBatch: trainImages <= 2048,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    msPerEpoch: wallMs / epochs,
    bestEpoch: adapter.bestEpoch,
    testWGA,
    loadAverage1m: { before, after: loadavg()[0] },
  };
}

function main(): void {
  const epochs = epochsFlag();
  const cases: TrainCase[] = [];
  console.log(`adapter training, d=${DIM}, 2 classes, 8 templates, ${epochs} epochs, Adam; ${cpus()[0]?.model ?? ''}`);
  for (const images of [1000, 10000]) {
    for (const variant of ['ls', 'vs'] as const) {
      const result = runCase(images, variant, epochs);
      cases.push(result);
      console.log(
        `${String(images).padStart(6)} images (${result.trainImages} train, ${result.fullBatch ? 'full batch' : 'batches of 128'}) ${variant}: ` +
          `${(result.wallMs / 1000).toFixed(1)} s wall, ${(result.cpuMs / 1000).toFixed(1)} s CPU, ` +
          `${Math.round(result.msPerEpoch)} ms/epoch · load average ${result.loadAverage1m.before.toFixed(2)} → ${result.loadAverage1m.after.toFixed(2)}`,
      );
    }
  }
  const out = join(dirname(fileURLToPath(import.meta.url)), 'train-results.json');
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        dim: DIM,
        cases,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${out}`);
}

main();
