/**
 * The ids the app feeds CLIP's text tower, against a CLIP BPE tokenizer written from OpenAI's rules
 * (fixtures/clip_bpe_reference.py, run at test time on the same strings), with the real tokenizer files.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { CLIP_CONTEXT_LENGTH, promptTruncationWarning, tokenizePrompts } from './clipTokenizer';
import { checkReferencePython, requireInCi, runReferenceScript } from './fixtures/referencePython';

const sharedTokenizer = fileURLToPath(new URL('../../../shared/models/clip-vit-base-patch32', import.meta.url));
const referenceScript = fileURLToPath(new URL('./fixtures/clip_bpe_reference.py', import.meta.url));
const python = checkReferencePython([]);
requireInCi(python);

const BIRDS =
  'black-footed albatross, laysan albatross, sooty albatross, groove-billed ani, crested auklet, least auklet, ' +
  'parakeet auklet, rhinoceros auklet, brewer blackbird, red-winged blackbird, rusty blackbird, ' +
  'yellow-headed blackbird, bobolink, indigo bunting, lazuli bunting, painted bunting, cardinal';

/** Class strings and prompts of the kinds users type; the long ones cross the 77-token limit. */
const PROMPTS = [
  'a photo of a cat',
  // long: well past 75 tokens, and one that ends exactly at the limit
  `a photo of a ${BIRDS}.`,
  `${'bird '.repeat(75).trim()}`,
  `${'bird '.repeat(76).trim()}`,
  // long with multi-token words and emoji straddling the cut
  `a photo of a ${'ñandú 🐦 '.repeat(30)}`,
  // accented, composed and decomposed (NFC makes them one), and scripts with combining marks
  'Crème brûlée à la façon de Zoë',
  'Ñandú (Rhea americana) — Cafe\u0301 Mañana',
  'Straße, Øresund, Łódź, Ærøskøbing',
  'पक्षी की तस्वीर',
  '鳥の写真 (とり)',
  // upper and mixed case, including letters whose lower case is longer
  'GREAT BLUE HERON',
  'A PhOtO oF a MaLlArD',
  'İSTANBUL GULL over ΣΊΣΥΦΟΣ',
  // emoji: single, ZWJ sequences, flags, skin tones, keycaps
  '🐦 bird 🦆🦢 on a 🌊 lake',
  '👩‍🔬 scientist with a 🦜 🇫🇷 flag, 👍🏽, 1️⃣',
  // punctuation-heavy: contractions, runs, quotes, brackets, symbols, digits
  "Cooper's hawk!!! (juvenile) -- [rare]; 50% off?!",
  "bird's-eye view: a.b.c... don't/won't \"quoted\" & more",
  'Cooper’s hawk “quoted” ‘single’ …',
  'R&D <lab> #1 @home ~/path/to_file.jpg $5.99 ½ ² ٣ Ⅻ',
  '   spaced\tout\n\nprompt   ',
  '<|endoftext|> inside a prompt',
];

describe.skipIf(!python.available)(
  `CLIP tokenization vs OpenAI's BPE rules${python.missing ? ` (skipped: ${python.missing})` : ''}`,
  () => {
    it('every prompt gets the reference ids: BOS + at most 75 tokens + EOS', async () => {
      if (!existsSync(`${sharedTokenizer}/merges.txt`)) return expect.fail(`missing ${sharedTokenizer}/merges.txt`);
      const tokenizer = await AutoTokenizer.from_pretrained(sharedTokenizer);
      const reference = runReferenceScript<number[][]>(referenceScript, [sharedTokenizer], PROMPTS);
      const tokenized = tokenizePrompts(tokenizer, PROMPTS);
      const { inputIds, attentionMask, length } = tokenized;
      expect(length).toBe(CLIP_CONTEXT_LENGTH);
      PROMPTS.forEach((prompt, row) => {
        const want = reference[row];
        const got = Array.from(inputIds.subarray(row * length, row * length + want.length), Number);
        expect(got, JSON.stringify(prompt)).toEqual(want);
        // the rest of the row is padding (the pad token, masked out)
        const mask = Array.from(attentionMask.subarray(row * length, (row + 1) * length), Number);
        expect(mask.indexOf(0) === -1 ? length : mask.indexOf(0), JSON.stringify(prompt)).toBe(want.length);
        for (let i = want.length; i < length; i++) expect(Number(inputIds[row * length + i])).toBe(49407);
      });
      expect(reference[1]).toHaveLength(CLIP_CONTEXT_LENGTH);
      expect(reference[1][CLIP_CONTEXT_LENGTH - 1]).toBe(49407);
      // 75 words fit exactly; 76 do not
      expect(tokenized.truncated.slice(0, 5)).toEqual([false, true, false, true, true]);
      expect(tokenized.truncated.slice(5).every((cut) => !cut)).toBe(true);
    });
  },
);

describe('the truncation warning', () => {
  it('counts distinct prompts, lists the first three and says what CLIP sees', () => {
    expect(promptTruncationWarning([])).toBeNull();
    expect(promptTruncationWarning(['a long one', 'a long one'])).toBe(
      `1 prompt was longer than CLIP's 77-token limit and was cut: "a long one". ` +
        'CLIP sees only the first 75 tokens; shorten the class names, templates or group prompts.',
    );
    expect(promptTruncationWarning(['p1', 'p2', 'p3', 'p4', 'p5'])).toMatch(
      /^5 prompts were longer than CLIP's 77-token limit and were cut: "p1", "p2", "p3" and 2 more\./,
    );
  });
});
