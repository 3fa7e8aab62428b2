import { TimestampError } from './errors';

/**
 * Reads a tweet's time as ms since the epoch: a number (seconds when below 10¹¹, i.e. before
 * 5138 AD in seconds, else milliseconds), a digit string read the same way, an ISO 8601 string,
 * or Twitter's `created_at` (`Wed Oct 10 20:19:24 +0000 2018`). `where` and `field` go into the
 * {@link TimestampError} thrown for anything else.
 */
export function parseTimestamp(value: unknown, where = 'record', field = 'created_at'): number {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) {
    const n = Number(value);
    ms = n < 1e11 ? n * 1000 : n;
  } else if (typeof value === 'string') {
    const twitter = /^\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4}) (\d{4})$/.exec(value.trim());
    ms = twitter ? Date.parse(`${twitter[2]} ${twitter[1]} ${twitter[5]} ${twitter[3]} GMT${twitter[4]}`) : Date.parse(value);
  }
  if (!Number.isFinite(ms)) throw new TimestampError(where, field, value);
  return ms;
}
