/**
 * Where the pixel evaluation finds its media, and the video frames it extracts with ffmpeg.
 * Media is read from shared/media (MEDIA_DIR) and never copied into the repo; extracted frames
 * go to .tmp/ (large, never committed) and are reused while newer than their video.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const MEDIA_DIR = process.env.MEDIA_DIR ?? path.resolve(ROOT, '..', 'shared', 'media');
export const FRAMES_DIR = path.join(ROOT, '.tmp', 'pixel-frames');

export const MEDIA = {
  handsImage: 'hands/tfjs_hands.jpg',
  handsGolden: 'hands/tfjs_hands.expected_keypoints.json',
  aslVideo: 'videos/tfjs_asl_hand.25fps.mp4',
  aslGolden: 'videos/tfjs_asl_hand.full.json',
  bottleVideo: 'videos/intel_bottle-detection.mp4',
} as const;

export const HAND_MODELS = {
  lite: 'hand_landmarker_lite.task',
  full: 'hand_landmarker_full.task',
} as const;
export type HandModel = keyof typeof HAND_MODELS;

/** Null when everything is there, else why the evaluation must skip. */
export function missingMedia(files: readonly string[] = Object.values(MEDIA)): string | null {
  const missing = files.filter((f) => !fs.existsSync(path.join(MEDIA_DIR, f)));
  return missing.length ? `shared media absent in ${MEDIA_DIR}: ${missing.join(', ')} (set MEDIA_DIR)` : null;
}

export function missingTool(cmd: string): string | null {
  try {
    execFileSync(cmd, ['-version'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${cmd} is not installed (Debian: apt-get install ${cmd})`;
  }
}

export function readMediaJson(rel: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(MEDIA_DIR, rel), 'utf8'));
}

export interface ExtractedFrames {
  dir: string;
  /** File names in media order: names[i] is decoded frame i. */
  names: string[];
}

/**
 * Every decoded frame of `video`, one file each, numbered in decode/presentation order
 * (`-fps_mode passthrough`: no frame is duplicated or dropped to fit a rate), so names[i] is
 * frame i of the video and matches golden frame i.
 */
export function extractFrames(video: string, key: string, ext: 'png' | 'jpg'): ExtractedFrames {
  const src = path.join(MEDIA_DIR, video);
  const dir = path.join(FRAMES_DIR, key);
  const done = path.join(dir, '.complete');
  const fresh = fs.existsSync(done) && fs.statSync(done).mtimeMs >= fs.statSync(src).mtimeMs;
  if (!fresh) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const quality = ext === 'jpg' ? ['-q:v', '2'] : [];
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      src,
      '-fps_mode',
      'passthrough',
      ...quality,
      path.join(dir, `%05d.${ext}`),
    ]);
    fs.writeFileSync(done, '');
  }
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(`.${ext}`))
    .sort();
  return { dir, names };
}
