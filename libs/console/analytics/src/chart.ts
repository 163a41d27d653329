/** A value axis: its top and the values to draw gridlines at, from 0. */
export interface Axis {
  max: number;
  ticks: number[];
}

/**
 * An axis from 0 to a round number at or above `max` (1, 2, 2.5 or 5 times a power of ten), with
 * about `count` evenly spaced whole-number ticks; an empty series still gets a 0–1 axis.
 */
export function valueAxis(max: number, count = 4): Axis {
  if (!(max > 0)) return { max: 1, ticks: [0, 1] };
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude);
  const whole = Number.isInteger(step) ? step : Math.ceil(step);
  const top = Math.ceil(max / whole) * whole;
  return { max: top, ticks: Array.from({ length: top / whole + 1 }, (_, i) => i * whole) };
}

/** Where the plot sits inside the SVG (its viewBox units). */
export interface Plot {
  width: number;
  height: number;
  left: number;
  top: number;
}

/** The x of point `index` of `count`, spread edge to edge (one point sits in the middle). */
export function xAt(index: number, count: number, plot: Plot): number {
  return count <= 1 ? plot.left + plot.width / 2 : plot.left + (index * plot.width) / (count - 1);
}

/** The y of `value` on an axis topping at `max` (0 at the bottom of the plot). */
export function yAt(value: number, max: number, plot: Plot): number {
  return plot.top + plot.height - (max > 0 ? (Math.min(value, max) / max) * plot.height : 0);
}

/** An SVG polyline's `points` for `values`, rounded to a tenth. */
export function linePoints(values: number[], max: number, plot: Plot): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  return values.map((value, i) => `${round(xAt(i, values.length, plot))},${round(yAt(value, max, plot))}`).join(' ');
}

/**
 * Which of `count` points get a label under the axis: the first, the last, and evenly spaced ones
 * between, at most `most` in all.
 */
export function labelIndexes(count: number, most = 7): number[] {
  if (count <= most) return Array.from({ length: count }, (_, i) => i);
  const step = Math.ceil((count - 1) / (most - 1));
  const indexes: number[] = [];
  for (let i = 0; i < count - 1; i += step) indexes.push(i);
  if (count - 1 - (indexes.at(-1) ?? 0) <= step / 2) indexes.pop();
  indexes.push(count - 1);
  return indexes;
}

/** A bar's length in percent of the longest possible, `value` of `max` (0 when there is nothing). */
export function barPercent(value: number, max: number): number {
  return max > 0 ? Math.min(100, (100 * value) / max) : 0;
}

/** Whole percent of `part` in `whole`, or null when the whole is empty. */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

/** A rate from the API (0..1, or null) as a percentage for people. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  const percent = rate * 100;
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : Math.round(percent * 10) / 10}%`;
}

/** Seconds as a short duration: 45 s, 12 min, 3 h 20 min, 2 d 4 h; a dash for none. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A day (YYYY-MM-DD) as a short axis label: 3 Mar. */
export function shortDate(date: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const [, month, day] = date.split('-').map(Number);
  return `${day} ${months[(month ?? 1) - 1]}`;
}
