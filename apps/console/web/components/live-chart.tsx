import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const clockOf = (epochSeconds: number) => new Date(epochSeconds * 1000).toLocaleTimeString(undefined, { hour12: false });

export interface ChartSeries {
  label: string;
  /** One value per timestamp (null where the series had no sample). */
  values: (number | null)[];
}

/** The window the charts show, seconds: the page keeps this much history. */
export const CHART_WINDOW_S = 120;

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d', '#0d9488', '#7c3aed'];

/**
 * A uPlot time-series chart. The plot is rebuilt only when the set of series changes (a topic
 * appears); new samples go in with setData, which is cheap enough for every second.
 */
export function LiveChart({ title, times, series, unit }: { title: string; times: number[]; series: ChartSeries[]; unit: string }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = series.map((s) => s.label).join('\u0000');

  useEffect(() => {
    const element = container.current!;
    const options: uPlot.Options = {
      width: element.clientWidth || 600,
      height: 220,
      legend: { live: false },
      // A fixed two-minute window: the axis does not jump about while the first samples come in.
      scales: { x: { time: true, range: (_, __, max) => { const end = max ?? Date.now() / 1000; return [end - CHART_WINDOW_S, end]; } }, y: { range: (_, min, max) => [0, Math.max(1, max, min)] } },
      // One line of clock time per tick, far enough apart not to overlap (uPlot's default stacks a date line under the first).
      axes: [{ stroke: '#64748b', grid: { stroke: '#e2e8f0' }, space: 70, values: (_, ticks) => ticks.map(clockOf) }, { stroke: '#64748b', grid: { stroke: '#e2e8f0' }, size: 50, label: unit }],
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2, points: { show: false } }))],
    };
    plot.current = new uPlot(options, [times, ...series.map((s) => s.values)], element);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: element.clientWidth, height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [labels]);

  useEffect(() => {
    plot.current?.setData([times, ...series.map((s) => s.values)]);
  });

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={container} />
    </figure>
  );
}
