import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { daysInMonth, parseTimestamp } from '../../src/structures/time.js';

test('parseTimestamp agrees with Date.parse on Discord ISO timestamps of any precision', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
      fc.integer({ min: 0, max: 999 }),
      fc.constantFrom(0, 3, 6),
      fc.constantFrom('+00:00', 'Z'),
      (date, micros, fraction, zone) => {
        const base = date.toISOString().slice(0, 19);
        const ms = date.toISOString().slice(20, 23);
        const text = `${base}${fraction === 0 ? '' : `.${(ms + String(micros).padStart(3, '0')).slice(0, fraction)}`}${zone}`;
        assert.equal(parseTimestamp(text), Date.parse(text), text);
      }
    ),
    { numRuns: 3000 }
  );
});

test('parseTimestamp falls back to Date.parse for other forms and rejects garbage', () => {
  for (const text of [
    '2021-03-04T05:06:07+02:00',
    '2021-03-04',
    '2021-02-30T00:00:00+00:00',
    'Thu, 01 Jan 2020 00:00:00 GMT'
  ]) {
    const expected = Date.parse(text);
    assert.equal(parseTimestamp(text), Number.isNaN(expected) ? null : expected, text);
  }
  for (const bad of ['', 'soon', '2021-13-04T05:06:07+00:00', '2021-03-04T25:06:07+00:00', null, 42, undefined]) {
    const expected = typeof bad === 'string' ? Date.parse(bad) : Number.NaN;
    assert.equal(parseTimestamp(bad), Number.isNaN(expected) ? null : expected, String(bad));
  }
});

test('daysInMonth matches where Date.UTC rolls a day over, leap and century years included', () => {
  for (const year of [0, 4, 99, 100, 1900, 1999, 2000, 2015, 2023, 2024, 2100, 2400, 9999]) {
    for (let month = 1; month <= 12; month++) {
      let last = 28;
      while (new Date(Date.UTC(year, month - 1, last + 1)).getUTCDate() === last + 1) last++;
      assert.equal(daysInMonth(year, month), last, `${year}-${month}`);
    }
  }
});

test('parseTimestamp rejects (as Date.parse does) the 29th-31st where the month has no such day', () => {
  for (const text of [
    '2023-02-29T00:00:00+00:00',
    '2024-02-29T00:00:00+00:00',
    '2100-02-29T12:00:00.000Z',
    '2000-02-29T12:00:00.000Z',
    '2024-04-31T00:00:00+00:00',
    '2024-12-31T23:59:59.999+00:00'
  ]) {
    const expected = Date.parse(text);
    assert.equal(parseTimestamp(text), Number.isNaN(expected) ? null : expected, text);
  }
});

test('parseTimestamp agrees with Date.parse across the calendar (years 100-9999, every month end)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 100, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 31 }),
      fc.integer({ min: 0, max: 86_399_999 }),
      (year, month, day, msOfDay) => {
        const pad = (n: number, width: number) => String(n).padStart(width, '0');
        const time = `${pad(Math.floor(msOfDay / 3_600_000), 2)}:${pad(Math.floor(msOfDay / 60_000) % 60, 2)}:${pad(Math.floor(msOfDay / 1000) % 60, 2)}.${pad(msOfDay % 1000, 3)}`;
        const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}+00:00`;
        const expected = Date.parse(text);
        assert.equal(parseTimestamp(text), Number.isNaN(expected) ? null : expected, text);
      }
    ),
    { numRuns: 5000 }
  );
});
