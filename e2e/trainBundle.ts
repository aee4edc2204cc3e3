/**
 * `node --import tsx e2e/trainBundle.ts <out.json> [small|large]`: core's planted-spurious bundle (landbird/waterbird ×
 * land/water; class words lean on their usual background, 5 in 6 images have it), for the training spec.
 * Zero-shot calls most birds on the other background by the background; a trained adapter can fix them.
 * `large` (2,000 images × 128) makes an epoch slow enough to cancel mid-training.
 */
import { writeFileSync } from 'node:fs';
import { serializeBundle } from '../src/core/bundle';
import { plantedBundle } from '../src/core/plantedBundle.fixture';

const [out, size = 'small'] = process.argv.slice(2);
if (!out || (size !== 'small' && size !== 'large')) throw new Error('usage: trainBundle.ts <out.json> [small|large]');
const options = size === 'small' ? { seed: 5, dim: 32, perClass: 120 } : { seed: 5, dim: 128, perClass: 1000 };
writeFileSync(out, serializeBundle(plantedBundle(options)));
