/** Writing a run's results: the JSON file, the markdown details, the README section and the printed summary. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { errorMessage } from '../src/core/errors';
import { log } from './harness';
import { formatMarkdown, formatReadmeSection } from './markdown';
import { BenchAbort, type MeasureOptions, README_END, README_START, ROOT, type RenderOptions } from './options';
import { type BenchResults, formatSummary, parseBenchResults } from './report';

/**
 * `section` in place of what lies between the start and end marker lines of `text` (markers kept). A file without
 * the markers is refused, so a mistyped path never loses a README.
 */
export function spliceReadme(text: string, section: string, file = 'the README'): string {
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < 0 || end < start)
    throw new BenchAbort(
      `${file} has no generated benchmark section: add the lines ${README_START} and ${README_END} where it goes, or pass --skip-readme`,
    );
  const body = section.endsWith('\n') ? section : `${section}\n`;
  return `${text.slice(0, start + README_START.length)}\n${body}${text.slice(end)}`;
}

/** The README's benchmark section between its markers, linking to the details file relative to the repo root. */
function writeReadme(results: BenchResults, readme: string | null, details: string): void {
  if (!readme) return;
  if (!existsSync(readme)) throw new BenchAbort(`--readme: ${readme} does not exist`);
  const section = formatReadmeSection(results, relative(ROOT, details), results.diagnosis);
  writeFileSync(readme, spliceReadme(readFileSync(readme, 'utf8'), section, relative(process.cwd(), readme)));
  log(`updated the benchmark section of ${relative(process.cwd(), readme)}`);
}

/** A measured run: results JSON, then the markdown and README section when asked; prints the summary. */
export function writeResults(results: BenchResults, options: MeasureOptions): void {
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), options.out)}`);
  if (options.md) {
    writeFileSync(options.md, formatMarkdown(results, relative(dirname(options.md), options.out)));
    log(`wrote ${relative(process.cwd(), options.md)}`);
  }
  writeReadme(results, options.readme, options.md ?? options.out);
  console.log(formatSummary(results));
}

/** `--md-from`: the markdown and summary of an earlier run, nothing measured. */
export function renderFrom({ from, md, readme }: RenderOptions): void {
  if (!existsSync(from)) throw new BenchAbort(`--md-from: ${from} does not exist`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(from, 'utf8'));
  } catch (error) {
    throw new BenchAbort(`--md-from: ${from} is not JSON (${errorMessage(error)})`);
  }
  const results = parseBenchResults(parsed, relative(process.cwd(), from));
  writeFileSync(md, formatMarkdown(results, relative(dirname(md), from)));
  log(`wrote ${relative(process.cwd(), md)} from ${relative(process.cwd(), from)}`);
  writeReadme(results, readme, md);
  console.log(formatSummary(results));
}
