/**
 * `node --import tsx e2e/liveKBundle.ts <out.json> <n> <templates>`: the UI benchmark's synthetic bundle
 * (bench/uiBundle.ts: 10 classes × 2 attributes, the first `templates` CLIP templates, group prompts and every
 * SPEC §7 text, so all ten comparison rows compute) at a size an e2e test can afford.
 */
import { writeUiBundle } from '../bench/uiBundle';

const [out, nText, mText] = process.argv.slice(2);
const n = Number(nText);
const m = Number(mText);
if (!out || !Number.isInteger(n) || n < 10 || !Number.isInteger(m) || m < 2 || m > 80) {
  throw new Error('usage: liveKBundle.ts <out.json> <n ≥ 10> <templates 2…80>');
}
writeUiBundle(out, { n, c: 10, m, dim: 32 });
