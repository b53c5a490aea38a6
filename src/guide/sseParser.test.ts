import { describe, expect, it } from 'vitest';
import { SseParser } from './sseParser.ts';

describe('SseParser', () => {
  it('returns whole events across chunk boundaries and skips comments', () => {
    const p = new SseParser();
    expect(p.push('event: lanes\nda')).toEqual([]);
    expect(p.push('ta: [1]\n\n: keep-alive\n\nevent: lane\ndata: {"a":1}\n\ndata: x')).toEqual([
      { event: 'lanes', data: '[1]' },
      { event: 'lane', data: '{"a":1}' },
    ]);
    expect(p.push('\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('joins multi-line data and accepts CRLF line ends', () => {
    const p = new SseParser();
    expect(p.push('event: alerts\r\ndata: a\r\ndata: b\r\n\r\n')).toEqual([
      { event: 'alerts', data: 'a\nb' },
    ]);
  });
});
