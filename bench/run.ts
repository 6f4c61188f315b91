/**
 * Runs every benchmark module in this folder and prints one table: benchmark | Ordo | peer | ratio.
 *
 * A module is any compiled file here that exports `benchmarks(): Promise<BenchRow[]>` (see report.ts).
 * Usage: `npm run bench` or `npm run bench -- virtual` (only modules whose file name contains "virtual").
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchModule, type BenchRow, renderTable } from './report.js';

async function main(): Promise<void> {
  await runModules();
}

async function runModules(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const filter = process.argv[2]?.toLowerCase();
  const files = readdirSync(here)
    .filter((file) => file.endsWith('.js') && file !== basename(fileURLToPath(import.meta.url)))
    .filter((file) => filter === undefined || file.toLowerCase().includes(filter))
    .sort();

  const rows: BenchRow[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(here, file)).href)) as Partial<BenchModule>;
    if (typeof module.benchmarks !== 'function') continue;
    process.stderr.write(`running ${file.replace(/\.js$/, '')} ...\n`);
    rows.push(...(await module.benchmarks()));
  }
  if (rows.length === 0) {
    process.stderr.write(`no benchmark module matched ${filter === undefined ? '' : JSON.stringify(filter)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`\n${renderTable(rows)}\n`);
}

await main();
