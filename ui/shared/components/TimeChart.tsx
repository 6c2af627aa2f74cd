import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** A CSS custom property of the theme, e.g. `--success`. */
  colorVar: string;
}

function cssColor(variable: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || '#888';
}

/**
 * Counts over time as stepped, filled lines (uPlot: small and fast). The figure carries a text
 * summary for screen readers; the data also appear as figures on the page around it.
 */
export function TimeChart({
  times,
  series,
  height = 220,
  summary,
}: {
  times: number[];
  series: ChartSeries[];
  height?: number;
  summary: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const axisColor = cssColor('--text-muted');
    const gridColor = cssColor('--border');
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 240),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, size: 48 },
      ],
      series: [
        {},
        ...series.map((s) => {
          const color = cssColor(s.colorVar);
          return {
            label: s.label,
            stroke: color,
            fill: `${color}33`,
            width: 2,
            paths: uPlot.paths.stepped!({ align: 1 }),
            points: { show: false },
          };
        }),
      ],
    };
    const plot = new uPlot(options, [times, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 240), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [times, series, height]);
  return (
    <figure className="chart" aria-label={summary}>
      <div ref={host} className="chart-canvas" />
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}
