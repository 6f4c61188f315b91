/** One line of the benchmark table: the same work done by Ordo and by a peer, as a time (lower is better). */
export interface BenchRow {
  /** What was measured, e.g. `1,000 tickers through one virtual day`. */
  benchmark: string;
  /** Ordo's time per unit of work, in `unit`. */
  ordo: number;
  /** The peer's time for the same work, in `unit`. */
  peer: number;
  /** Who the peer is, e.g. `@sinonjs/fake-timers 15`. */
  peerName: string;
  /** The unit of `ordo` and `peer`, e.g. `ms` or `ns/op`. */
  unit: string;
  /** Anything worth printing under the table (checked counts, repetitions). */
  note?: string;
}

/** What every benchmark module in bench/ exports; run.ts finds modules by this export. */
export type BenchModule = { benchmarks: () => Promise<BenchRow[]> };

/** The median of some measurements. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Formats a measurement with three significant digits and a thousands separator. */
export function formatAmount(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

/** Renders rows as one plain-text table with a ratio column (Ordo / peer, lower is better for Ordo). */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'Ordo', 'peer', 'ratio (Ordo/peer, lower is better)'];
  const body = rows.map((row) => [
    row.benchmark,
    formatAmount(row.ordo, row.unit),
    `${formatAmount(row.peer, row.unit)} (${row.peerName})`,
    `${(row.ordo / row.peer).toFixed(2)}x`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.benchmark}: ${row.note}`);
  return [line(header), rule, ...body.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
