import { describe, expect, it } from 'vitest';
import { installNativeLogFilter, nativeLogLevel, type ConsoleLike } from './nativeLog.ts';

describe('nativeLogLevel', () => {
  it('re-levels MediaPipe native log lines, leaves everything else alone', () => {
    expect(nativeLogLevel('INFO: Created TensorFlow Lite XNNPACK delegate for CPU.')).toBe('debug');
    expect(nativeLogLevel('I1122 08:15:37.878000 2172416 gl_context.cc:408] GL version: 3.0')).toBe('debug');
    expect(
      nativeLogLevel('W1122 08:15:37.880000 2172416 gl_context.cc:1135] OpenGL error checking is disabled'),
    ).toBe('warn');
    expect(nativeLogLevel('E1122 08:15:37.880000 2172416 calculator_graph.cc:12] graph failed')).toBe(
      'error',
    );
    expect(nativeLogLevel('Graph successfully started running.')).toBeNull();
    expect(nativeLogLevel('TypeError: x is undefined')).toBeNull();
  });
});

describe('installNativeLogFilter', () => {
  it('turns the XNNPACK INFO line from an error into a debug line', () => {
    const seen: string[] = [];
    const c: ConsoleLike = {
      debug: (m) => seen.push(`debug ${String(m)}`),
      log: (m) => seen.push(`log ${String(m)}`),
      warn: (m) => seen.push(`warn ${String(m)}`),
      error: (m) => seen.push(`error ${String(m)}`),
    };
    installNativeLogFilter(c);
    c.error('INFO: Created TensorFlow Lite XNNPACK delegate for CPU.');
    c.error('real failure');
    c.log('I1122 08:15:37.878000 2172416 gl_context.cc:408] GL version');
    c.log('hello');
    expect(seen).toEqual([
      'debug INFO: Created TensorFlow Lite XNNPACK delegate for CPU.',
      'error real failure',
      'debug I1122 08:15:37.878000 2172416 gl_context.cc:408] GL version',
      'log hello',
    ]);
  });
});
