import { ThroughputMeter, expectedEpochLine, formatDuration } from '../src/bert/throughput';

describe('bert training throughput', () => {
  it('leaves the first (warm-up) step out of the rate once there are others', () => {
    const meter = new ThroughputMeter();
    expect(meter.tokensPerSecond).toBe(0);
    expect(meter.epochSeconds(1000)).toBe(Number.POSITIVE_INFINITY);
    meter.add(100, 10); // warm-up: 10 tokens/s
    expect(meter.tokensPerSecond).toBe(10);
    meter.add(300, 1);
    meter.add(100, 1);
    expect(meter.tokensPerSecond).toBe(200);
    expect(meter.epochSeconds(72_000)).toBe(360);
  });

  it.each([
    [9.34, '9.3 s'],
    [60, '1m 00s'],
    [845, '14m 05s'],
    [3720, '1h 02m'],
    [Number.POSITIVE_INFINITY, 'unknown'],
  ])('formats %p seconds as %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('says what the expected epoch time rests on', () => {
    const meter = new ThroughputMeter();
    [[640, 9], [640, 4], [640, 4]].forEach(([t, s]) => meter.add(t, s));
    expect(expectedEpochLine(meter, 72_000, 150)).toBe(
      'expected time per epoch: 7m 30s (72,000 sub-tokens in 150 steps at 160 tokens/s, measured over steps 2–3)',
    );
  });
});
