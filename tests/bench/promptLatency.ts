import type { Browser } from 'playwright';
import { summary } from './stats.ts';

const TOKEN = 'bench-token';

/**
 * Relay POST to visible alertdialog: the time a POS void takes to become a blocking prompt on the
 * lane screen, through the real server, WebSocket and browser. The page stamps the dialog's
 * appearance with a MutationObserver on the same machine clock the POST time is taken from.
 */
export async function measurePromptLatency(browser: Browser, url: string, runs = 100) {
  const page = await browser.newPage();
  const lane = 'B01';
  await page.goto(`${url}/?lane=${lane}&lang=en`);
  await page.waitForSelector('.kiosk[data-online="true"]');
  await page.evaluate(() => {
    const w = window as unknown as { dialogSeen: number[] };
    w.dialogSeen = [];
    new MutationObserver(() => {
      const open = document.querySelector('[role="alertdialog"]') !== null;
      if (open && w.dialogSeen.length % 2 === 0)
        w.dialogSeen.push(performance.timeOrigin + performance.now());
      if (!open && w.dialogSeen.length % 2 === 1) w.dialogSeen.push(0);
    }).observe(document.body, { childList: true, subtree: true });
  });
  let seq = 0;
  const ev = (type: string, extra: object = {}) => ({
    v: 1,
    lane,
    txn: 'BT1',
    seq: ++seq,
    at: new Date().toISOString(),
    type,
    ...extra,
  });
  const post = (body: unknown) =>
    fetch(`${url}/api/lanes/${lane}/pos-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
  const lines = Array.from({ length: runs }, (_, i) =>
    ev('item.added', { line: i + 1, gtin: '6901234567892', name: 'Milk', unitPrice: 500, qty: 1 }),
  );
  await post([ev('transaction.started'), ...lines]);
  await page.waitForFunction((n) => document.querySelectorAll('li.line').length === n, runs);
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const sent = performance.timeOrigin + performance.now();
    await post(ev('item.voided', { line: i + 1 }));
    const seen = await page.waitForFunction(
      (k) => (window as unknown as { dialogSeen: number[] }).dialogSeen[k * 2],
      i,
      { polling: 'raf' },
    );
    latencies.push(((await seen.jsonValue()) as number) - sent);
    await page.click('[data-answer="confirmed"]');
    await page.waitForFunction(() => !document.querySelector('[role="alertdialog"]'));
  }
  await page.close();
  return summary(latencies);
}

export const BENCH_POS_TOKEN = TOKEN;
