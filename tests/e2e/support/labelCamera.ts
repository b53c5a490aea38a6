import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LaneZones } from '../../../src/core/lane/zones.ts';
import { MEDIA_DIR, ROOT } from './env.ts';
import { piecewiseExpr, type Key } from './labelCameraPath.ts';

/**
 * A fake camera in which a real hand carries a product with legible print through the lane: a
 * GroceryStoreDataset photo (a shopper's hand holding the carton in front of a shelf) slid over a
 * plain counter from pick-up (left) through the scanner (middle) to bagging (right) and out, with
 * a slight push towards the camera at the scanner, as a shopper shows an item to the scanner
 * window. The photo is real; only its path is made up. Built with ffmpeg at test time under .tmp
 * (raw frames, never committed).
 */

export const GROCERY_NATURAL = path.join(MEDIA_DIR, 'grocery', 'natural');
export const LABEL_CAMERA_SIZE = { width: 640, height: 360, fps: 15 } as const;

export interface LabelProduct {
  /** Under grocery/natural/. */
  photo: string;
  /** The product's POS name (the class name with spaces, as tests/eval/ocr names it). */
  name: string;
  /** The palm centre in the photo, normalised: the photo is moved so that the palm follows the path. */
  palm: { x: number; y: number };
}

/**
 * Bravo_017: the hand's back and fingers fully in view, "BRAVO APPLE JUICE" beside the grasp; the
 * OCR evaluation reads the whole photo as "DRAVO APPLE JUICE".
 */
export const BRAVO_APPLE_JUICE: LabelProduct = {
  photo: 'Bravo-Apple-Juice/Bravo-Apple-Juice_017.jpg',
  name: 'Bravo Apple Juice',
  palm: { x: 0.4, y: 0.52 },
};

/** Other catalogue names the read must be further from than from its own. */
export const OTHER_PRODUCT_NAMES = ['Bravo Orange Juice', 'Alpro Fresh Soy Milk', 'Arla Standard Milk'];

/** The lane as this camera shows it: pick-up left, scanner middle, bagging right, exit at the edge. */
export const LABEL_LANE_ZONES: LaneZones = {
  v: 1,
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: 'e2e',
  zones: {
    pickup: rect(0, 0.3),
    scanner: rect(0.3, 0.6),
    bagging: rect(0.6, 0.9),
    exit: rect(0.9, 1),
  },
};

function rect(x0: number, x1: number): LaneZones['zones']['pickup'] {
  return [
    { x: x0, y: 0 },
    { x: x1, y: 0 },
    { x: x1, y: 1 },
    { x: x0, y: 1 },
  ];
}

/** Where the palm is (normalised x) and how large the photo is (px), over one loop of the clip. */
export interface LabelScene {
  durationS: number;
  palmX: Key[];
  palmY: Key[];
  sizePx: Key[];
}

/**
 * The palm's path; the fingertips reach ~0.1 further right, so the pick-up rest keeps them out of
 * the scanner. One pass: 2 s of empty counter (the zone background learns it), the item comes in to pick-up,
 * rests, goes to the scanner and is held there, pushed a little towards the camera, then on to
 * bagging and out through the exit; 1.5 s of empty counter before the loop restarts.
 */
export const LABEL_SCENE: LabelScene = {
  durationS: 11,
  palmX: [
    [0, -0.3],
    [2, -0.3],
    [2.8, 0.1],
    [3.8, 0.12],
    [4.5, 0.45],
    [6.3, 0.47],
    [7, 0.75],
    [7.8, 0.77],
    [9, 1.4],
    [11, 1.4],
  ],
  palmY: [
    [0, 0.55],
    [11, 0.55],
  ],
  sizePx: [
    [0, 300],
    [4.5, 300],
    [5.2, 330],
    [6.3, 330],
    [7, 300],
    [11, 300],
  ],
};

/** Why the camera cannot be built here, or null when it can. */
export function labelCameraMissing(product: LabelProduct = BRAVO_APPLE_JUICE): string | null {
  const photo = path.join(GROCERY_NATURAL, product.photo);
  if (!fs.existsSync(photo))
    return `needs ${photo} (shared media: GroceryStoreDataset photo of a hand holding the product)`;
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  } catch {
    return 'needs ffmpeg on PATH to build the label fake camera';
  }
  return null;
}

/** The ffmpeg filter graph: input 0 the counter, input 1 the photo. */
export function labelCameraFilter(product: LabelProduct, scene: LabelScene): string {
  const size = piecewiseExpr(scene.sizePx, 't');
  // overlay evaluates x/y per frame with the overlaid frame's own size as w/h.
  const x = `${piecewiseExpr(scene.palmX, 't')}*W-${product.palm.x}*w`;
  const y = `${piecewiseExpr(scene.palmY, 't')}*H-${product.palm.y}*h`;
  return [
    `[1:v]scale=w='${size}':h='${size}':eval=frame,setsar=1[item]`,
    `[0:v][item]overlay=x='${x}':y='${y}':eval=frame:shortest=1,format=yuv420p`,
  ].join(';');
}

export function labelCameraPath(product: LabelProduct): string {
  const base = path.basename(product.photo, path.extname(product.photo));
  return path.join(ROOT, '.tmp', `label-camera-${base}.y4m`);
}

/** Makes the .y4m once (about 60 MB); returns its path. */
export function ensureLabelCamera(product: LabelProduct = BRAVO_APPLE_JUICE, scene = LABEL_SCENE): string {
  const out = labelCameraPath(product);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written aside and renamed, so a run starting meanwhile never reads half a file.
  const partial = `${out}.${process.pid}.partial.y4m`;
  const { width, height, fps } = LABEL_CAMERA_SIZE;
  execFileSync('ffmpeg', [
    ...['-y', '-loglevel', 'error'],
    // A plain, slightly warm grey counter.
    ...['-f', 'lavfi', '-i', `color=c=0x8a877f:s=${width}x${height}:r=${fps}:d=${scene.durationS}`],
    ...['-loop', '1', '-framerate', String(fps), '-i', path.join(GROCERY_NATURAL, product.photo)],
    ...['-filter_complex', labelCameraFilter(product, scene), '-t', String(scene.durationS)],
    ...['-r', String(fps), '-pix_fmt', 'yuv420p', partial],
  ]);
  fs.renameSync(partial, out);
  return out;
}
