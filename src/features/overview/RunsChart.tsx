/**
 * The "runs over time" chart: started runs per bucket, stacked by outcome (visx: SVG, so every
 * bar is an element that can be focused and named). Loaded lazily (its own chunk): the overview
 * renders its table view and the rest of the page without it.
 *
 * Hover, or focus a bucket with Tab, to read its numbers; click or Enter opens the instance list
 * of the runs started in it. The table view (RunsTable) has the same numbers for screen readers
 * and copying.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { BarStack } from '@visx/shape';
import { TooltipWithBounds, useTooltip } from '@visx/tooltip';
import type { OverviewRunBucket } from '../../api/types';
import { OUTCOME_STYLE, OUTCOMES, type Outcome } from './outcomes';
import { formatCount } from './parts';

const HEIGHT = 220;
const MARGIN = { top: 8, right: 8, bottom: 28, left: 40 };

function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export interface RunsChartProps {
  buckets: OverviewRunBucket[];
  /** axis text of a bucket start */
  label: (start: string) => string;
  /** the bucket's range as read out */
  rangeLabel: (bucket: OverviewRunBucket) => string;
  onOpen: (bucket: OverviewRunBucket) => void;
}

export default function RunsChart({ buckets, label, rangeLabel, onOpen }: RunsChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const tooltip = useTooltip<OverviewRunBucket>();
  const innerWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const total = (b: OverviewRunBucket) => OUTCOMES.reduce((s, o) => s + b[o], 0);
  const max = Math.max(1, ...buckets.map(total));
  const x = scaleBand<string>({ domain: buckets.map((b) => b.start), range: [0, innerWidth], padding: 0.25 });
  const y = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  // About 8 labels on the time axis, whatever the number of buckets.
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  const describe = (b: OverviewRunBucket) =>
    `${rangeLabel(b)}: ${formatCount(total(b))} started — ${OUTCOMES.map((o) => `${formatCount(b[o])} ${OUTCOME_STYLE[o].label.toLowerCase()}`).join(', ')}`;
  const show = (b: OverviewRunBucket) =>
    tooltip.showTooltip({ tooltipData: b, tooltipLeft: MARGIN.left + (x(b.start) ?? 0) + x.bandwidth() / 2, tooltipTop: MARGIN.top + y(total(b)) });

  return (
    <div ref={ref} className="relative w-full" data-testid="runs-chart">
      {width > 0 && (
        <svg width={width} height={HEIGHT} role="group" aria-label="Started runs per interval, by outcome">
          <Group left={MARGIN.left} top={MARGIN.top}>
            {y.ticks(4).map((t) => (
              <line key={t} x1={0} x2={innerWidth} y1={y(t)} y2={y(t)} className="stroke-line" aria-hidden="true" />
            ))}
            <BarStack<OverviewRunBucket, Outcome> data={buckets} keys={[...OUTCOMES]} x={(b) => b.start} xScale={x} yScale={y} color={(o) => OUTCOME_STYLE[o].fill}>
              {(stacks) =>
                stacks.flatMap((stack) =>
                  stack.bars.map((bar) => (
                    <rect
                      key={`${stack.key}-${bar.index}`}
                      x={bar.x}
                      y={bar.y}
                      width={bar.width}
                      height={Math.max(0, bar.height)}
                      className={OUTCOME_STYLE[stack.key].className}
                      aria-hidden="true"
                    />
                  )),
                )
              }
            </BarStack>
            {buckets.map((b) => (
              <rect
                key={b.start}
                x={(x(b.start) ?? 0) - (x.step() - x.bandwidth()) / 2}
                y={0}
                width={x.step()}
                height={innerHeight}
                fill="transparent"
                tabIndex={0}
                role="button"
                aria-label={`${describe(b)}. Open these runs.`}
                className="cursor-pointer outline-none focus-visible:stroke-accent focus-visible:stroke-2"
                onMouseEnter={() => show(b)}
                onMouseMove={() => show(b)}
                onMouseLeave={tooltip.hideTooltip}
                onFocus={() => show(b)}
                onBlur={tooltip.hideTooltip}
                onClick={() => onOpen(b)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onOpen(b);
                  }
                }}
                data-testid="runs-bucket"
              />
            ))}
            <AxisLeft
              scale={y}
              numTicks={4}
              tickFormat={(v) => formatCount(Number(v))}
              hideAxisLine
              hideTicks
              tickLabelProps={{ className: 'fill-muted text-[11px]', textAnchor: 'end', dx: -4, dy: 3 }}
            />
            <AxisBottom
              top={innerHeight}
              scale={x}
              tickValues={buckets.filter((_, i) => i % every === 0).map((b) => b.start)}
              tickFormat={(v) => label(String(v))}
              hideTicks
              axisLineClassName="stroke-line-strong"
              tickLabelProps={{ className: 'fill-muted text-[11px]', textAnchor: 'middle' }}
            />
          </Group>
        </svg>
      )}
      {tooltip.tooltipOpen && tooltip.tooltipData && (
        <TooltipWithBounds
          left={tooltip.tooltipLeft}
          top={tooltip.tooltipTop}
          unstyled
          applyPositionStyle
          className="pointer-events-none z-10 rounded-lg border border-line bg-surface px-3 py-2 text-[12.5px] shadow-lg"
        >
          <p className="mb-1 font-medium">{rangeLabel(tooltip.tooltipData)}</p>
          <table className="tabular-nums" data-testid="runs-tooltip">
            <tbody>
              {OUTCOMES.map((o) => (
                <tr key={o}>
                  <td className="pr-3">
                    <span className={`mr-1.5 inline-block size-2 rounded-sm ${OUTCOME_STYLE[o].swatch}`} aria-hidden="true" />
                    {OUTCOME_STYLE[o].label}
                  </td>
                  <td className="text-right">{formatCount(tooltip.tooltipData![o])}</td>
                </tr>
              ))}
              <tr className="border-t border-line font-medium">
                <td className="pr-3">Started</td>
                <td className="text-right">{formatCount(total(tooltip.tooltipData))}</td>
              </tr>
            </tbody>
          </table>
        </TooltipWithBounds>
      )}
    </div>
  );
}
