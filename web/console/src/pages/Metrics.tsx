// Product metrics as charts: sign-ups, sign-ins, codes sent and KYC
// decisions over time, drawn as plain SVG (no chart library to ship).
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { MetricsQuery } from '../gql/graphql';
import { Metrics as MetricsOp } from '../ops';
import { Loading, Problem, Select } from '../ui';

type Point = MetricsQuery['adminMetrics']['series'][number];
type Key = Exclude<keyof Point, 'start' | '__typename'>;

const ranges: Record<string, { days: number; interval: 'DAY' | 'HOUR' }> = {
  'Last 30 days': { days: 30, interval: 'DAY' },
  'Last 90 days': { days: 90, interval: 'DAY' },
  'Last 48 hours': { days: 2, interval: 'HOUR' },
  'Last 7 days, hourly': { days: 7, interval: 'HOUR' },
};

const charts: { title: string; lines: { key: Key; label: string; color: string }[] }[] = [
  { title: 'Sign-ups', lines: [{ key: 'signUps', label: 'Accounts created', color: '#2563eb' }] },
  {
    title: 'Sign-ins',
    lines: [
      { key: 'signInsSucceeded', label: 'Succeeded', color: '#16a34a' },
      { key: 'signInsFailed', label: 'Refused', color: '#dc2626' },
      { key: 'activeUsers', label: 'Active users', color: '#7c3aed' },
    ],
  },
  { title: 'One-time codes sent', lines: [{ key: 'otpsSent', label: 'Codes sent', color: '#ea580c' }] },
  {
    title: 'KYC decisions',
    lines: [
      { key: 'kycPending', label: 'Submitted', color: '#ca8a04' },
      { key: 'kycApproved', label: 'Approved', color: '#16a34a' },
      { key: 'kycRejected', label: 'Rejected', color: '#dc2626' },
    ],
  },
];

export function Metrics() {
  const [range, setRange] = useState('Last 30 days');
  const [data, setData] = useState<MetricsQuery['adminMetrics'] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const r = ranges[range];
    const to = new Date();
    const from = new Date(to.getTime() - r.days * 86_400_000);
    setError(null);
    call(MetricsOp, { from: from.toISOString(), to: to.toISOString(), interval: r.interval })
      .then((d) => setData(d.adminMetrics))
      .catch((e) => { setError(e); setData(null); });
  }, [range]);

  return (
    <section>
      <h1>Metrics</h1>
      <div class="filters">
        <Select label="Range" value={range} onValue={setRange} options={Object.keys(ranges)} />
      </div>
      <Problem error={error} />
      {!data && !error && <Loading />}
      {data && (
        <div class="charts">
          {charts.map((c) => (
            <Chart key={c.title} title={c.title} lines={c.lines} series={data.series} totals={data.totals}
              hourly={data.interval === 'HOUR'} />
          ))}
        </div>
      )}
    </section>
  );
}

// ticks are whole counts: 0, the top, and the middle when it is whole.
function ticks(max: number): number[] {
  return max % 2 === 0 ? [0, max / 2, max] : [0, max];
}

const W = 560, H = 180, L = 40, R = 10, T = 10, B = 28;

function Chart(p: { title: string; lines: (typeof charts)[number]['lines']; series: Point[]; totals: Omit<Point, 'start'>; hourly: boolean }) {
  const max = Math.max(1, ...p.series.flatMap((s) => p.lines.map((l) => s[l.key] as number)));
  const n = p.series.length;
  const x = (i: number) => L + (n <= 1 ? 0 : (i * (W - L - R)) / (n - 1));
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const label = (t: string) => (p.hourly ? t.slice(5, 13).replace('T', ' ') + 'h' : t.slice(0, 10));
  const summary = p.lines.map((l) => `${l.label}: ${p.totals[l.key]}`).join(', ');
  return (
    <figure class="chart">
      <figcaption>
        <strong>{p.title}</strong>
        <span class="legend">
          {p.lines.map((l) => (
            <span key={l.key}><i style={{ background: l.color }} /> {l.label} ({(p.totals[l.key] as number).toLocaleString('en')})</span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${p.title}: ${summary}`}>
        <title>{`${p.title}: ${summary}`}</title>
        {ticks(max).map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} class="grid" />
            <text x={L - 4} y={y(v) + 4} text-anchor="end" class="axis">{v.toLocaleString('en')}</text>
          </g>
        ))}
        {n > 0 && (
          <>
            <text x={L} y={H - 8} class="axis">{label(p.series[0].start)}</text>
            <text x={W - R} y={H - 8} text-anchor="end" class="axis">{label(p.series[n - 1].start)}</text>
          </>
        )}
        {p.lines.map((l) => (
          <polyline key={l.key} fill="none" stroke={l.color} stroke-width="2"
            points={p.series.map((s, i) => `${x(i).toFixed(1)},${y(s[l.key] as number).toFixed(1)}`).join(' ')} />
        ))}
      </svg>
    </figure>
  );
}
