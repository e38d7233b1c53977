import { describe, expect, it } from 'vitest';
import { Channel, drawKeyed, runKey, tickKey } from '../src/core/random.js';

describe('keyed random draws', () => {
  it('are uniform on [0,1): chi-square over 100 bins of 1e6 consecutive agent ids', () => {
    const key = tickKey(runKey(1, 0), 3, Channel.event);
    const bins = new Array(100).fill(0);
    const n = 1_000_000;
    for (let i = 0; i < n; i++) bins[Math.floor(drawKeyed(key, i) * 100)]++;
    const chi = bins.reduce((a, b) => a + (b - n / 100) ** 2 / (n / 100), 0);
    expect(chi).toBeLessThan(150); // 99 d.f.: the 99.9th percentile is about 149
  });

  it('are uncorrelated between neighbouring ids and between channels', () => {
    const k1 = tickKey(runKey(1, 0), 0, Channel.event),
      k2 = tickKey(runKey(1, 0), 0, Channel.hire);
    const n = 200_000;
    let sNeighbour = 0,
      sChannel = 0;
    for (let i = 0; i < n; i++) {
      const a = drawKeyed(k1, i) - 0.5;
      sNeighbour += a * (drawKeyed(k1, i + 1) - 0.5);
      sChannel += a * (drawKeyed(k2, i) - 0.5);
    }
    // Correlation of uniforms: cov / (1/12); the standard error at n = 2e5 is about 0.0022.
    expect(Math.abs((12 * sNeighbour) / n)).toBeLessThan(0.01);
    expect(Math.abs((12 * sChannel) / n)).toBeLessThan(0.01);
  });

  it('depend only on (run key, tick, channel, agent): the same number wherever they are asked', () => {
    const k = tickKey(runKey(42, 7), 11, Channel.choice);
    expect(drawKeyed(k, 12345)).toBe(drawKeyed(tickKey(runKey(42, 7), 11, Channel.choice), 12345));
    expect(drawKeyed(k, 12345)).not.toBe(drawKeyed(tickKey(runKey(42, 7), 12, Channel.choice), 12345));
  });

  it('are murmur3 finalizer rounds on uint32s: the same numbers as the first versions, keys above 2^31 included', () => {
    // The reference: the draw as first written, in unsigned arithmetic (>>> 0 after each step).
    const fmix = (h: number) => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const refKey = (run: number, tick: number, ch: number) => fmix((fmix((run ^ Math.imul(tick + 1, 0x9e3779b1)) >>> 0) ^ Math.imul(ch, 0x27d4eb2f)) >>> 0);
    const refDraw = (key: number, id: number) => fmix((fmix((key ^ Math.imul(id, 0x9e3779b1)) >>> 0) + key) >>> 0) / 4294967296;
    let above = 0;
    for (let r = 0; r < 20; r++) {
      for (const ch of [Channel.event, Channel.hire, (Channel.choice << 16) | 215]) {
        const run = runKey(7, r),
          key = tickKey(run, 3 * r, ch),
          ref = refKey(run, 3 * r, ch);
        expect(key >>> 0).toBe(ref);
        if (ref >= 2 ** 31) above++;
        for (const id of [0, 1, 12345, 38_936_133, 2 ** 31 - 1]) expect(drawKeyed(key, id)).toBe(refDraw(ref, id));
      }
    }
    expect(above).toBeGreaterThan(0);
  });

  it('derive run keys from the master seed and the run id alone', () => {
    expect(runKey(20201101, 5)).toBe(runKey(20201101, 5));
    expect(new Set([0, 1, 2, 3, 4].map((r) => runKey(20201101, r))).size).toBe(5);
    expect(runKey(20201101, 0)).not.toBe(runKey(20201102, 0));
  });
});
