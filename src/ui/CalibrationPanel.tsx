import { useEffect, useRef, useState } from 'preact/hooks';
import type { LaneZones, Point, ZoneName } from '../core/lane/zones.ts';
import { ZONE_NAMES } from '../core/lane/zones.ts';
import { REQUIRED_ZONES, ZONE_LABELS, type ZoneProblem } from '../core/lane/zoneValidation.ts';
import type { LaneZonesStore } from '../kiosk/laneZonesStore.ts';
import { useObservable } from './useObservable.ts';

type Draft = Partial<Record<ZoneName, Point[]>>;
type Drag =
  { kind: 'draw'; zone: ZoneName; start: Point } | { kind: 'corner'; zone: ZoneName; index: number };

/** Fallback drawing size until the video reports its own; only the aspect ratio matters. */
const DEFAULT_SIZE = { w: 640, h: 360 };

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function rectangle(a: Point, b: Point): Point[] {
  return [
    { x: a.x, y: a.y },
    { x: b.x, y: a.y },
    { x: b.x, y: b.y },
    { x: a.x, y: b.y },
  ];
}

function centroid(poly: readonly Point[]): Point {
  const n = poly.length;
  return { x: poly.reduce((s, p) => s + p.x, 0) / n, y: poly.reduce((s, p) => s + p.y, 0) / n };
}

function draftOf(zones: LaneZones | null): Draft {
  const draft: Draft = {};
  if (!zones) return draft;
  for (const name of ZONE_NAMES) {
    const poly = zones.zones[name];
    if (poly) draft[name] = poly.map((p) => ({ ...p }));
  }
  return draft;
}

const SYNC_TEXT = {
  none: 'Not calibrated yet',
  synced: 'Saved on the store server',
  'not-synced': 'Saved on this kiosk only: not synced',
} as const;

/**
 * Installer screen: draw the lane's zones on the live camera image. Pick a zone, drag a rectangle on
 * the video, drag its corners to adjust, save. Coordinates are normalised to the camera image, and
 * the overlay keeps the video's aspect ratio so what is drawn is where the tracker will look.
 * English only, like the maintenance panel: it is for installers.
 */
export function CalibrationPanel({
  stream,
  store,
  onClose,
}: {
  stream: MediaStream | null;
  store: LaneZonesStore;
  onClose: () => void;
}) {
  const state = useObservable(store.state);
  const [draft, setDraft] = useState<Draft>(() => draftOf(state.zones));
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<ZoneName>('pickup');
  const [size, setSize] = useState(DEFAULT_SIZE);
  const [problems, setProblems] = useState<ZoneProblem[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);

  useEffect(() => {
    void store.load();
  }, [store]);
  // The stored zones replace the drawing only while the installer has not started editing.
  useEffect(() => {
    if (!dirty) setDraft(draftOf(state.zones));
  }, [state.zones, dirty]);

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    el.srcObject = stream;
    if (!stream) return;
    const onMeta = () => {
      if (el.videoWidth > 0 && el.videoHeight > 0) setSize({ w: el.videoWidth, h: el.videoHeight });
    };
    el.addEventListener('loadedmetadata', onMeta);
    el.addEventListener('resize', onMeta);
    onMeta();
    void el.play().catch(() => {
      // Muted inline video may always autoplay; a refusal only delays the picture.
    });
    return () => {
      el.removeEventListener('loadedmetadata', onMeta);
      el.removeEventListener('resize', onMeta);
    };
  }, [stream]);

  const toNorm = (e: PointerEvent): Point => {
    const box = svg.current!.getBoundingClientRect();
    return { x: clamp01((e.clientX - box.left) / box.width), y: clamp01((e.clientY - box.top) / box.height) };
  };

  const edit = (fn: (d: Draft) => Draft) => {
    setDraft((d) => fn(d));
    setDirty(true);
    setProblems([]);
    setMessage(null);
  };

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const target = e.target as Element;
    const corner = target.getAttribute('data-corner');
    const zone = target.getAttribute('data-zone') as ZoneName | null;
    svg.current!.setPointerCapture(e.pointerId);
    e.preventDefault();
    if (corner !== null && zone) {
      setSelected(zone);
      drag.current = { kind: 'corner', zone, index: Number(corner) };
      return;
    }
    const start = toNorm(e);
    drag.current = { kind: 'draw', zone: selected, start };
    edit((d) => ({ ...d, [selected]: rectangle(start, start) }));
  };

  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const p = toNorm(e);
    if (d.kind === 'draw') {
      edit((draft) => ({ ...draft, [d.zone]: rectangle(d.start, p) }));
    } else {
      edit((draft) => {
        const poly = draft[d.zone];
        if (!poly) return draft;
        return { ...draft, [d.zone]: poly.map((q, i) => (i === d.index ? p : q)) };
      });
    }
  };

  const endDrag = (e: PointerEvent) => {
    if (!drag.current) return;
    drag.current = null;
    if (svg.current?.hasPointerCapture(e.pointerId)) svg.current.releasePointerCapture(e.pointerId);
  };

  const save = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await store.save(draft as LaneZones['zones']);
      if (!result.ok) {
        setProblems(result.problems);
        return;
      }
      setProblems([]);
      setDirty(false);
      setDraft(draftOf(result.zones));
      setMessage(result.message);
    } finally {
      setBusy(false);
    }
  };

  const missing = REQUIRED_ZONES.filter((z) => !draft[z]);
  return (
    <section class="calibration" aria-labelledby="calibration-title" data-testid="calibration">
      <header class="calibration-head">
        <h2 id="calibration-title">Lane calibration</h2>
        <p class="calibration-sync" data-testid="zones-sync" data-sync={state.sync} role="status">
          {SYNC_TEXT[state.sync]}
          {state.sync === 'not-synced' && state.lastError ? ` (${state.lastError})` : ''}
        </p>
        <button class="btn btn-quiet btn-small" onClick={onClose}>
          Close
        </button>
      </header>
      <div class="calibration-tools" role="group" aria-label="Zone to draw">
        {ZONE_NAMES.map((name) => (
          <button
            key={name}
            class={`btn btn-small zone-pick zone-${name}`}
            aria-pressed={selected === name}
            data-testid={`zone-pick-${name}`}
            onClick={() => setSelected(name)}
          >
            <span class="zone-swatch" aria-hidden="true" />
            {ZONE_LABELS[name]}
            {(REQUIRED_ZONES as readonly ZoneName[]).includes(name) ? '' : ' (optional)'}
            {draft[name] ? ' ✓' : ''}
          </button>
        ))}
        <button
          class="btn btn-small"
          data-testid="zones-clear"
          disabled={!draft[selected]}
          onClick={() =>
            edit((d) => {
              const next = { ...d };
              delete next[selected];
              return next;
            })
          }
        >
          Clear {ZONE_LABELS[selected]}
        </button>
        <button
          class="btn btn-primary btn-small"
          data-testid="zones-save"
          disabled={busy}
          onClick={() => void save()}
        >
          Save zones
        </button>
      </div>
      <p class="calibration-hint">
        Choose a zone, then drag on the video to draw it; drag its corners to adjust.
        {missing.length > 0 && ` Still to draw: ${missing.map((z) => ZONE_LABELS[z]).join(', ')}.`}
      </p>
      {problems.length > 0 && (
        <ul class="calibration-problems" role="alert" data-testid="zones-problems">
          {problems.map((p, i) => (
            <li key={i} data-zone={p.zone ?? ''}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {message && (
        <p class="calibration-message" role="status" data-testid="zones-message">
          {message}
        </p>
      )}
      <div class="calibration-stage" style={{ aspectRatio: `${size.w} / ${size.h}` }}>
        <video
          ref={video}
          class="calibration-video"
          muted
          playsInline
          autoPlay
          data-testid="calibration-video"
        />
        {!stream && <p class="calibration-nocamera">The camera is not live; zones can still be edited.</p>}
        <svg
          ref={svg}
          class="calibration-overlay"
          viewBox={`0 0 ${size.w} ${size.h}`}
          data-testid="calibration-canvas"
          aria-label="Lane zones on the camera image"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
        >
          {ZONE_NAMES.map((name) => {
            const poly = draft[name];
            if (!poly) return null;
            const c = centroid(poly);
            const points = poly.map((p) => `${p.x * size.w},${p.y * size.h}`).join(' ');
            return (
              <g key={name} class={`zone zone-${name}${name === selected ? ' zone-selected' : ''}`}>
                <polygon
                  points={points}
                  data-testid={`zone-${name}`}
                  data-points={JSON.stringify(poly)}
                  data-zone={name}
                />
                <text x={c.x * size.w} y={c.y * size.h} font-size={size.h * 0.045} text-anchor="middle">
                  {ZONE_LABELS[name]}
                </text>
                {poly.map((p, i) => (
                  <circle
                    key={i}
                    class="zone-corner"
                    cx={p.x * size.w}
                    cy={p.y * size.h}
                    r={size.h * 0.018}
                    data-zone={name}
                    data-corner={i}
                    data-testid={`corner-${name}-${i}`}
                  />
                ))}
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}
