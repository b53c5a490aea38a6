import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test as base, expect } from './support/fixtures.ts';
import { chromiumArgs } from './support/env.ts';
import {
  HARNESS_BASE,
  buildRecordingHarness,
  ensureFaceCamera,
  hasFaceMedia,
  routeRecordingHarness,
  watchForeignRequests,
} from './support/faceCamera.ts';
import type { RecordingHarness } from '../../src/recording/harness/harness.ts';

/**
 * The lane recorder on a camera that shows a real face: faces must be blurred in what is stored
 * (decoded back from the clip) while the rest of the image keeps its detail. This file runs in
 * its own worker with its own browser, whose fake camera is the face video (the project's camera
 * shows bottles), so no extra Playwright project is needed.
 */
const test = base.extend<{ harness: Page; foreign: string[] }, { faceCamera: string; harnessBuilt: string }>({
  // Playwright reads fixture dependencies from the destructuring pattern, so it must stay `{}`.
  // eslint-disable-next-line no-empty-pattern
  faceCamera: [async ({}, use) => use(ensureFaceCamera()), { scope: 'worker' }],
  // eslint-disable-next-line no-empty-pattern
  harnessBuilt: [async ({}, use) => use(await buildRecordingHarness()), { scope: 'worker' }],
  launchOptions: [
    async ({ launchOptions, faceCamera }, use) =>
      use({ ...launchOptions, args: chromiumArgs({ camera: faceCamera }) }),
    { scope: 'worker' },
  ],
  foreign: async ({ context, baseURL }, use) => use(watchForeignRequests(context, baseURL ?? '')),
  harness: async ({ context, page, harnessBuilt, foreign }, use) => {
    void harnessBuilt;
    void foreign;
    await routeRecordingHarness(context);
    await page.goto(`${HARNESS_BASE}index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await use(page);
  },
});

type Harness = { recordingHarness: RecordingHarness };

test.skip(!hasFaceMedia(), 'shared/media is absent (MEDIA_DIR): the face video and photos are needed');
test.describe.configure({ timeout: 45_000 });

test('stored clip has the real face blurred and the rest of the image intact', async ({
  harness,
  foreign,
}, info) => {
  const opts = { txnMs: 2500, grabs: 3, preMs: 1000, postMs: 1000 };
  const r = await harness.evaluate(
    (o) => (window as unknown as Harness).recordingHarness.faceBlurScenario(o),
    opts,
  );
  const ratios = r.comparisons.map(
    (c) => `face ${c.faceRatio.toFixed(3)} / elsewhere ${c.detailRatio.toFixed(2)}`,
  );
  console.log(`[recording] edge-energy ratio stored/live: ${ratios.join('; ')}`);
  info.annotations.push({ type: 'blur ratios (stored/live)', description: ratios.join('; ') });

  for (const c of r.comparisons) {
    expect(c.liveFaces, 'the detector finds the face on the live, unblurred frame').toBeGreaterThanOrEqual(1);
    expect(Math.abs(c.dtMs), 'a stored frame within one frame period of the live grab').toBeLessThan(100);
    expect(c.faceRatio, 'face region keeps almost no edge energy').toBeLessThan(0.2);
    expect(c.detailRatio, 'the rest of the frame keeps its detail').toBeGreaterThan(0.6);
  }

  // The clip covers pre-roll .. post-roll, starting on the keyframe at or before start - preMs.
  const frameMs = 1000 / 12;
  expect(r.clip.mime).toBe('video/webm');
  expect(r.clip.faceBlur).toBe(true);
  expect(r.clip.truncatedStart).toBe(false);
  expect(r.clip.startMs).toBeLessThanOrEqual(r.startAt - opts.preMs + 5);
  expect(r.clip.startMs).toBeGreaterThan(r.startAt - opts.preMs - 1000 - 2 * frameMs);
  expect(r.clip.endMs).toBeGreaterThanOrEqual(r.endAt + opts.postMs - 2 * frameMs);
  expect(r.decodedFrames).toBe(r.clip.frames);
  const expected = (r.clip.endMs - r.clip.startMs) / frameMs;
  expect(r.clip.frames).toBeGreaterThan(expected * 0.85);

  // An independent decoder reads the same file.
  const file = info.outputPath('clip.webm');
  fs.writeFileSync(file, Buffer.from(r.clipBase64, 'base64'));
  const probe = execFileSync('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames',
    '-of',
    'csv=p=0',
    file,
  ])
    .toString()
    .trim();
  expect(probe).toBe(`vp8,640,360,${r.clip.frames}`);

  // Checkpoints of the open transaction: numbered, each playable from a keyframe, back to back.
  expect(r.checkpoints.length).toBeGreaterThanOrEqual(1);
  r.checkpoints.forEach((cp, i) => {
    expect(cp.seq).toBe(i + 1);
    expect(cp.firstIsKey).toBe(true);
    // endMs is the last frame plus a nominal frame duration; the next piece starts at the next real frame.
    if (i > 0) expect(Math.abs(cp.startMs - r.checkpoints[i - 1]!.endMs)).toBeLessThan(frameMs);
  });
  expect(Math.abs(r.checkpoints[0]!.startMs - r.clip.startMs)).toBeLessThan(1);

  // MediaPipe's usage log was answered inside the worker; nothing tried to leave the origin.
  expect(r.blockedRequests).toBeGreaterThanOrEqual(1);
  expect(foreign).toEqual([]);
  console.log(
    `[recording] clip ${r.clip.frames} frames, ${r.clip.byteLength} bytes; detector still finds a face-shaped ` +
      `blob in ${r.framesWithFaces}/${r.decodedFrames} stored frames; encode p50 ${r.metrics?.encodeMs.p50} ms, ` +
      `detect p50 ${r.metrics?.detectMs.p50} ms`,
  );
});

test('a still with three people: three faces found and blurred by the same function', async ({
  harness,
}, info) => {
  const url = `${HARNESS_BASE}media/faces/tfjs_three_people.jpg`;
  const r = await harness.evaluate(
    (u) => (window as unknown as Harness).recordingHarness.stillBlurScenario(u),
    url,
  );
  const ratios = r.faces.map((f) => f.ratio.toFixed(3)).join(', ');
  console.log(
    `[recording] three_people: ${r.faces.length} faces, edge-energy ratio blurred/original ${ratios}`,
  );
  info.annotations.push({ type: 'still blur ratios', description: ratios });
  expect(r.faces).toHaveLength(3);
  for (const f of r.faces) expect(f.ratio).toBeLessThan(0.1);
  expect(r.detailRatio, 'pixels outside the blurred regions are untouched').toBeCloseTo(1, 6);
  await harness.evaluate(() => (window as unknown as Harness).recordingHarness.stop());
});

test('recording survives a camera change, with stream and with frame-by-frame delivery', async ({
  harness,
}) => {
  for (const frameDelivery of ['stream', 'frames'] as const) {
    const r = await harness.evaluate(async (delivery) => {
      const h = (window as unknown as Harness).recordingHarness;
      const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
      await h.startRecorder({ frameDelivery: delivery, preMs: 0, postMs: 500, checkpointMs: 0 });
      await h.markStart('txn-reconnect');
      await sleep(1200);
      await h.reconnect(); // the app calls start(newStream) after the camera came back
      await sleep(1200);
      const clip = await h.markEnd('txn-reconnect');
      const metrics = await h.metrics();
      await h.stop();
      return { clip, metrics };
    }, frameDelivery);
    expect(r.metrics?.source, frameDelivery).toBe('live');
    expect(r.metrics?.errors, frameDelivery).toBe(0);
    expect(r.clip, frameDelivery).not.toBeNull();
    // About 12 fps across the whole window, the switch included (a short gap is allowed).
    const seconds = (r.clip!.endMs - r.clip!.startMs) / 1000;
    expect(seconds, frameDelivery).toBeGreaterThan(2.5);
    expect(r.clip!.frames, frameDelivery).toBeGreaterThan(seconds * 12 * 0.7);
  }
});
