import { useEffect, useState } from 'preact/hooks';
import { LANE_STATE_PRIORITY } from '../core/lane/laneMachine.ts';
import type { LaneStatus } from '../core/lane/laneStatus.ts';

// Most urgent first, in the lane machine's own priority order.
const SEVERITY = new Map<string, number>(LANE_STATE_PRIORITY.map((state, i) => [state, i]));

const STATE_TEXT: Record<string, string> = {
  idle: '空闲 Open',
  scanning: '扫描中 Scanning',
  awaitingConfirmation: '等待确认 Confirming',
  assistanceRequested: '需要协助 Needs help',
  suspectedAnomaly: '需要核对 Check',
  paymentFailed: '支付失败 Payment failed',
  locked: '已锁定 Locked',
  offline: '离线 Offline',
};

const PROMPT_TEXT: Record<string, string> = {
  itemVoided: '删除商品 item removed',
  quantityReduced: '减少数量 qty reduced',
  transactionCancelled: '取消订单 order cancelled',
  paymentFailed: '支付失败 payment failed',
};

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** The floor guides' wall: every lane's light and latest prompt, live, most urgent first. */
export function GuideWall() {
  const [lanes, setLanes] = useState<Map<string, LaneStatus>>(new Map());
  const [connected, setConnected] = useState(false);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const source = new EventSource('/api/guide/stream');
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('lanes', (e) => {
      const list = JSON.parse((e as MessageEvent<string>).data) as LaneStatus[];
      setLanes(new Map(list.map((l) => [l.lane, l])));
    });
    source.addEventListener('lane', (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as LaneStatus;
      setLanes((prev) => new Map(prev).set(s.lane, s));
    });
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      source.close();
      clearInterval(tick);
    };
  }, []);
  const sorted = [...lanes.values()].sort(
    (a, b) => (SEVERITY.get(a.state) ?? 9) - (SEVERITY.get(b.state) ?? 9) || a.lane.localeCompare(b.lane),
  );
  return (
    <main class="guide">
      <header class="guide-header">
        <h1>收银区 Lanes</h1>
        <span class={connected ? 'guide-conn ok' : 'guide-conn'} role="status">
          {connected ? '实时 Live' : '连接中 Connecting…'}
        </span>
      </header>
      {sorted.length === 0 && <p>暂无收银台 No lanes have reported yet.</p>}
      <ul class="guide-lanes">
        {sorted.map((l) => (
          <li
            key={l.lane}
            class={`guide-lane light-${l.light.color} pattern-${l.light.pattern}`}
            data-guide-lane={l.lane}
            data-lane-state={l.state}
            data-light-color={l.light.color}
          >
            <span class="light-lamp" aria-hidden="true" />
            <strong class="guide-lane-id">{l.lane}</strong>
            <span class="guide-lane-state">{STATE_TEXT[l.state] ?? l.state}</span>
            {l.prompt && (
              <span class="guide-lane-prompt" data-prompt-kind={l.prompt.kind}>
                {PROMPT_TEXT[l.prompt.kind] ?? l.prompt.kind} · {ago(l.prompt.shownAt, now)}
                {l.prompt.answer ? ` → ${l.prompt.answer}` : ' …'}
              </span>
            )}
            <small class="guide-lane-age">{ago(l.receivedAt, now)}</small>
          </li>
        ))}
      </ul>
    </main>
  );
}
