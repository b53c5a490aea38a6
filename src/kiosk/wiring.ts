import { LaneController } from '../app/laneController.ts';
import { DemoPos } from '../app/demoPos.ts';
import { Observable } from '../app/observable.ts';
import { RelayClient } from '../adapters/relayClient.ts';
import { attachLocalPosSources } from '../adapters/localPosSources.ts';
import { StatusPublisher } from '../adapters/statusPublisher.ts';
import { PromptAudio, type AudioState } from '../adapters/promptAudio.ts';
import { LaneCamera, type CameraStatus } from '../adapters/camera.ts';
import { attachWedgeScanner } from '../adapters/wedgeKeyboard.ts';
import { DEFAULT_LIGHT_CONFIG, mergeLightConfig, type LightConfig } from '../core/lane/lightConfig.ts';
import { findProductByGtin, resolveScan, type Product } from '../core/catalogue/lookup.ts';
import { DEMO_CATALOGUE } from '../core/catalogue/demoCatalogue.ts';
import { DEFAULT_LAYOUTS } from '../core/scan/variableMeasure.ts';
import type { KioskConfig } from '../config/kioskConfig.ts';
import type { PromptAnswer } from '../core/pos/events.ts';
import { LightTowers } from './lightTowers.ts';
import { wireEvidence, type Evidence } from './evidenceWiring.ts';
import { LaneWatch, type LaneSignal } from '../app/laneWatch.ts';
import { shiftTimes } from '../app/laneWatchClock.ts';
import { installLaneWatchDemo } from '../app/laneWatchDemo.ts';
import { laneZonesFor } from './laneZonesStoreBrowser.ts';
import { ReplayRing } from '../adapters/replayRing.ts';

export interface Kiosk {
  config: KioskConfig;
  controller: LaneController;
  demoPos: DemoPos;
  audio: Observable<{ state: AudioState; detail?: string }>;
  camera: LaneCamera;
  cameraStatus: Observable<CameraStatus>;
  cameraStream: Observable<MediaStream | null>;
  publishError: Observable<string | null>;
  towers: LightTowers;
  relay: RelayClient;
  evidence: Evidence;
  answer: (answer: PromptAnswer) => void;
  /** Camera + POS suspicions: the nudge state and the shopper's answers to it. */
  laneWatch: LaneWatch;
  /** The last seconds of camera frames for the nudge replay (null when vision is off). */
  replay: ReplayRing | null;
}

/** Builds the kiosk from its parts. Every outside source of POS events ends in controller.ingest. */
export function wireKiosk(config: KioskConfig, warnings: string[]): Kiosk {
  const audio = new Observable<{ state: AudioState; detail?: string }>({ state: 'idle' });
  const promptAudio = new PromptAudio(config.promptAudioBase, (state, detail) =>
    audio.set(detail === undefined ? { state } : { state, detail }),
  );
  const publishError = new Observable<string | null>(null);
  // Late-bound: the token comes from evidence enrolment, wired below.
  let deviceToken: () => Promise<string | null> = async () => null;
  const publisher = new StatusPublisher(
    `/api/lanes/${encodeURIComponent(config.lane)}/status`,
    (e) => publishError.set(e),
    () => deviceToken(),
  );
  let lightConfig: LightConfig = DEFAULT_LIGHT_CONFIG;
  try {
    lightConfig = mergeLightConfig(config.light);
  } catch (err) {
    warnings.push(`light: ${(err as Error).message}; using the default mapping`);
  }

  // Late-bound: evidence problems are shown as lane notices once the controller exists.
  let notice = (message: string) => console.warn(message);
  const evidence = wireEvidence(config, (m) => notice(m));
  deviceToken = evidence.deviceToken;

  // Late-bound like `notice`: the watch and the controller each need the other.
  let signalLane = (_s: LaneSignal) => undefined as void;
  let resealIfClosed = (_txn: string) => undefined as void;
  const laneWatch = new LaneWatch({
    vision: config.vision,
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    playPrompt: (kind) => {
      audio.set({ state: 'idle' });
      void promptAudio.play(config.lang, kind);
    },
    signalLane: (s) => signalLane(s),
    onSuspicionsChanged: (txn) => resealIfClosed(txn),
    log: (message, detail) => console.info(`[lane ${config.lane}] ${message}`, detail ?? ''),
    // Wrong-scan checks compare what was seen with the product rung up: name, size and price. Only
    // the demo catalogue is known on the kiosk today; a chain's catalogue feed would plug in here.
    fusion: { productOf: (gtin) => productFacts(findProductByGtin(DEMO_CATALOGUE, gtin)) },
  });
  evidence.setSuspicionSource((txn) => laneWatch.suspicionsFor(txn));
  // The calibration screen and the worker share one zones store; the tracker only runs once zones exist.
  const zones = laneZonesFor(config.lane).zones;
  evidence.setZones(zones.get());
  zones.subscribe((z) => evidence.setZones(z));
  // Recorder times are monotonic (performance.timeOrigin + now()); the engine speaks POS (epoch) time.
  evidence.onPerception((events) =>
    laneWatch.onPerception(shiftTimes(events, Date.now() - (performance.timeOrigin + performance.now()))),
  );

  const controller = new LaneController({
    lane: config.lane,
    lightConfig,
    promptTimeoutMs: config.promptTimeoutMs,
    replayPromptMaxAgeMs: config.replayPromptMaxAgeMs,
    now: () => Date.now(),
    playPrompt: (kind) => {
      audio.set({ state: 'idle' });
      void promptAudio.play(config.lang, kind);
    },
    stopPrompt: () => promptAudio.stop(),
    publishStatus: (s) => publisher.publish(s),
    log: (message, detail) => console.info(`[lane ${config.lane}] ${message}`, detail ?? ''),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    onTransactionStarted: evidence.onTransactionStarted,
    onTransactionClosed: evidence.onTransactionClosed,
    onClosedOrderChanged: evidence.onClosedOrderChanged,
    onPosEvent: (event, replayed) => laneWatch.onPos(event, replayed),
  });
  signalLane = (s) => controller.signal(s);
  resealIfClosed = (txn) => {
    const order = controller.findOrder(txn);
    if (order && !(controller.isTransactionOpen && controller.view.get().order?.txn === txn))
      evidence.onClosedOrderChanged(order);
  };
  notice = (message) =>
    controller.reportDiagnostic({ code: 'invalid', outcome: 'ignored', message }, 'evidence');
  for (const w of warnings) {
    controller.reportDiagnostic({ code: 'invalid', outcome: 'ignored', message: `config: ${w}` }, 'config');
  }

  const demoPos = new DemoPos(
    config.lane,
    () => controller.lastSeq + 1,
    (e) => controller.ingest(e, 'demo'),
  );

  const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  const relay = new RelayClient({
    url: (since) => `${wsBase}/api/lanes/${encodeURIComponent(config.lane)}/stream?since=${since}`,
    lastSeq: () => controller.lastSeq,
    token: evidence.deviceToken,
    onConnection: (online) => controller.setOnline(online),
    onError: (message) =>
      controller.reportDiagnostic({ code: 'invalid', outcome: 'ignored', message }, 'relay'),
    onMessage: (msg) => {
      if (msg.kind === 'hello') controller.beginReplay(msg.lastSeq);
      else if (msg.kind === 'pos') controller.ingest(msg.event, 'relay');
      else if (msg.kind === 'diagnostic') {
        const d = { code: msg.code as 'invalid', outcome: 'rejected' as const, message: msg.message };
        controller.reportDiagnostic(msg.seq === undefined ? d : { ...d, seq: msg.seq }, 'relay');
      }
    },
  });
  relay.start();

  attachLocalPosSources((events, source) => {
    for (const e of events) controller.ingest(e, source);
  });

  attachWedgeScanner(window, (code) => {
    if (controller.view.get().prompt) return;
    const found = resolveScan(code, DEMO_CATALOGUE, DEFAULT_LAYOUTS);
    if (!found.ok) {
      controller.reportDiagnostic(
        { code: 'invalid', outcome: 'rejected', message: `scan ${code}: ${found.reason}` },
        'scanner',
      );
      return;
    }
    const opts: { weight?: number; lineTotal?: number } = {};
    if (found.weightGrams !== undefined) opts.weight = found.weightGrams;
    if (found.lineTotal !== undefined) opts.lineTotal = found.lineTotal;
    demoPos.add(found.product, opts);
  });

  const replay = config.vision.enabled ? new ReplayRing() : null;
  if (config.demo) installLaneWatchDemo(window, laneWatch, replay);
  const cameraStatus = new Observable<CameraStatus>({ kind: 'starting' });
  const cameraStream = new Observable<MediaStream | null>(null);
  const camera = new LaneCamera({
    mediaDevices: navigator.mediaDevices,
    preferredDeviceId: config.cameraDeviceId,
    onStream: (s) => {
      cameraStream.set(s);
      evidence.attachStream(s);
      replay?.attach(s);
    },
    onStatus: (s) => cameraStatus.set(s),
  });
  if (navigator.mediaDevices) void camera.start();
  else
    cameraStatus.set({
      kind: 'absent',
      message: 'This browser exposes no camera API (needs a secure origin).',
    });

  const towers = new LightTowers((message) =>
    controller.reportDiagnostic({ code: 'invalid', outcome: 'ignored', message }, 'light tower'),
  );
  void towers.connectPaired();
  controller.view.subscribe((v) => towers.apply(v.light));

  const answer = (a: PromptAnswer) => {
    const prompt = controller.view.get().prompt;
    controller.answer(a);
    // The demo POS can honour "keep it"; a real POS reads the answer from the lane status.
    if (a === 'undo' && prompt && demoPos.currentTxn === prompt.request.txn) demoPos.undo(prompt.request);
  };

  return {
    config,
    controller,
    demoPos,
    audio,
    camera,
    cameraStatus,
    cameraStream,
    publishError,
    towers,
    relay,
    evidence,
    answer,
    laneWatch,
    replay,
  };
}

function productFacts(p: Product | undefined): { name: string; unitPrice: number } | undefined {
  // The packaging a Chinese store sells carries the Chinese name, which is what OCR reads.
  return p && { name: p.name, unitPrice: p.unitPrice };
}
