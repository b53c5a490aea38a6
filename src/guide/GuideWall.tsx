import { useEffect, useState } from 'preact/hooks';
import { LANE_STATE_PRIORITY } from '../core/lane/laneMachine.ts';
import type { LaneStatus } from '../core/lane/laneStatus.ts';
import { connectGuideStream, GUIDE_TOKEN_KEY, type GuideConnectionState } from './guideConnection.ts';

/** An alert on the wall: a lane's (storage emergency…) or the server's (low disk, retention). */
interface WallAlert {
  id: string;
  at: string;
  kind: string;
  message: string;
  lane?: string;
}

const ALERT_TEXT: Record<string, string> = {
  'kiosk-storage': '收银台存储 Lane storage',
  'low-disk': '服务器磁盘不足 Server disk low',
  'retention-failed': '证据清理失败 Retention failed',
};

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
  const [alerts, setAlerts] = useState<WallAlert[]>([]);
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(GUIDE_TOKEN_KEY));
  const [conn, setConn] = useState<{ state: GuideConnectionState; message?: string }>({
    state: 'connecting',
  });
  const [now, setNow] = useState(Date.now());
  const connected = conn.state === 'live';
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  useEffect(() => {
    if (!token) return undefined;
    return connectGuideStream({
      token,
      onState: (state, message) => setConn(message === undefined ? { state } : { state, message }),
      onEvent: ({ event, data }) => {
        if (event === 'lanes') {
          const list = JSON.parse(data) as LaneStatus[];
          setLanes(new Map(list.map((l) => [l.lane, l])));
        } else if (event === 'lane') {
          const s = JSON.parse(data) as LaneStatus;
          setLanes((prev) => new Map(prev).set(s.lane, s));
        } else if (event === 'alerts') setAlerts(JSON.parse(data) as WallAlert[]);
      },
    });
  }, [token]);
  if (!token || conn.state === 'login') {
    return (
      <GuideLogin
        {...(conn.state === 'login' && conn.message ? { problem: conn.message } : {})}
        onToken={(t) => {
          localStorage.setItem(GUIDE_TOKEN_KEY, t);
          setConn({ state: 'connecting' });
          setToken(t);
        }}
      />
    );
  }
  const acknowledge = async (id: string) => {
    const res = await fetch(`/api/guide/alerts/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.ok || res.status === 404) setAlerts((prev) => prev.filter((a) => a.id !== id));
  };
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
      {alerts.length > 0 && (
        <ul class="guide-alerts" data-testid="guide-alerts" aria-label="Alerts">
          {alerts.map((a) => (
            <li
              key={a.id}
              class="guide-alert"
              role="alert"
              data-guide-alert={a.kind}
              data-alert-lane={a.lane}
            >
              <strong>
                {a.lane ? `${a.lane} · ` : ''}
                {ALERT_TEXT[a.kind] ?? a.kind}
              </strong>
              <span class="guide-alert-message">{a.message}</span>
              <small>{ago(a.at, now)}</small>
              {a.id.startsWith('lane-') && (
                <button type="button" onClick={() => void acknowledge(a.id)}>
                  知道了 Acknowledge
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
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

/** First visit on a guide screen: the store admin's guide token, entered once and kept on this device. */
function GuideLogin(props: { problem?: string; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <main class="guide guide-login">
      <h1>导购登录 Guide login</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim() !== '') props.onToken(value.trim());
        }}
      >
        <label>
          令牌 Guide token
          <input
            type="password"
            autocomplete="off"
            data-testid="guide-token"
            value={value}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">登录 Log in</button>
      </form>
      {props.problem && (
        <p role="alert" data-testid="guide-login-problem">
          {props.problem}
        </p>
      )}
    </main>
  );
}
