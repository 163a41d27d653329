import {
  barPercent,
  formatDuration,
  formatRate,
  labelIndexes,
  linePoints,
  percentOf,
  shortDate,
  valueAxis,
  xAt,
  yAt,
} from './chart';

const PLOT = { left: 40, top: 10, width: 300, height: 100 };

describe('chart scaling', () => {
  it('tops the value axis at a round number with whole, evenly spaced ticks', () => {
    expect(valueAxis(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(valueAxis(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(valueAxis(1000)).toEqual({ max: 1000, ticks: [0, 250, 500, 750, 1000] });
    expect(valueAxis(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(valueAxis(1)).toEqual({ max: 1, ticks: [0, 1] });
    // Nothing to show: still an axis.
    expect(valueAxis(0)).toEqual({ max: 1, ticks: [0, 1] });
  });

  it('places points edge to edge and values from the bottom of the plot', () => {
    expect(xAt(0, 3, PLOT)).toBe(40);
    expect(xAt(2, 3, PLOT)).toBe(340);
    expect(xAt(0, 1, PLOT)).toBe(190);
    expect(yAt(0, 8, PLOT)).toBe(110);
    expect(yAt(8, 8, PLOT)).toBe(10);
    expect(yAt(2, 8, PLOT)).toBe(85);
    expect(yAt(5, 0, PLOT)).toBe(110);
    expect(linePoints([0, 4, 8], 8, PLOT)).toBe('40,110 190,60 340,10');
  });

  it('labels the first and last day and a few between, never two side by side', () => {
    expect(labelIndexes(5)).toEqual([0, 1, 2, 3, 4]);
    expect(labelIndexes(8)).toEqual([0, 2, 4, 7]);
    expect(labelIndexes(30)).toEqual([0, 5, 10, 15, 20, 25, 29]);
    expect(labelIndexes(90)).toEqual([0, 15, 30, 45, 60, 75, 89]);
    expect(labelIndexes(0)).toEqual([]);
  });

  it('sizes bars as a share of the largest, and shares of a whole', () => {
    expect(barPercent(25, 200)).toBe(12.5);
    expect(barPercent(300, 200)).toBe(100);
    expect(barPercent(5, 0)).toBe(0);
    expect(percentOf(45, 1200)).toBe(4);
    expect(percentOf(1, 0)).toBeNull();
  });
});

describe('formatting', () => {
  it('writes rates as percentages', () => {
    expect(formatRate(0.9412)).toBe('94%');
    expect(formatRate(0.0456)).toBe('4.6%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(null)).toBe('—');
  });

  it('writes durations the way people say them', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(754)).toBe('13 min');
    expect(formatDuration(3 * 3600)).toBe('3 h');
    expect(formatDuration(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(formatDuration(52 * 3600)).toBe('2 d 4 h');
    expect(formatDuration(null)).toBe('—');
  });

  it('writes days short', () => {
    expect(shortDate('2026-03-01')).toBe('1 Mar');
    expect(shortDate('2026-12-31')).toBe('31 Dec');
  });
});
