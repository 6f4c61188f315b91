import { VirtualClock } from '../../src/index.js';
import { CacheStore, runWarmCache } from '../../samples/warm-cache/warm-cache.js';
import { settleWith } from '../support/app-fixtures.js';

describe('the warm-cache sample', () => {
  it('serves traffic only after the cache is warm', async () => {
    const clock = new VirtualClock();
    const lines: string[] = [];

    const { booted } = await settleWith(
      clock,
      runWarmCache({ failPrefetch: false, clock, print: (l) => lines.push(l) }),
      '50ms',
    );

    expect(booted).toBe(true);
    const warm = lines.findIndex((l) => l.includes('component started component="warm-cache"'));
    const serving = lines.findIndex((l) => l.includes('serving traffic'));
    expect(warm).toBeGreaterThanOrEqual(0);
    expect(serving).toBeGreaterThan(warm);
  });

  it('aborts the boot when the prefetch fails and stops the store that had started', async () => {
    const clock = new VirtualClock();
    const lines: string[] = [];

    const { booted, error, app } = await settleWith(
      clock,
      runWarmCache({ failPrefetch: true, clock, print: (l) => lines.push(l) }),
      '50ms',
    );

    expect(booted).toBe(false);
    expect(error?.message).toBe('Component "warm-cache" failed to start: upstream refused key "pricing"');
    expect(error?.rollback.stopped).toEqual(['cache-store']);
    expect(lines.some((l) => l.includes('serving traffic'))).toBe(false);
    expect(app.get(CacheStore).entries.size).toBe(0);
  });
});
