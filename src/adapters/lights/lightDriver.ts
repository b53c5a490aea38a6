import type { LightOutput } from '../../core/lane/lightConfig.ts';

/**
 * One physical light box. Drivers never reject into the app: a lane light is an aid for guides,
 * and a broken cable must not take the checkout screen down with it. Failures go to `onError`.
 */
export interface LightDriver {
  readonly name: string;
  /** false once the device was unplugged or the driver closed; apply() then does nothing. */
  readonly available: boolean;
  apply(output: LightOutput): Promise<void>;
  /** Switches the light off (a stale colour would mislead guides) and releases the device. */
  close(): Promise<void>;
}

export type LightErrorHandler = (error: Error) => void;

export interface LightDriverOptions {
  /** Defaults to console.warn. */
  onError?: LightErrorHandler;
}
