import { describe, expect, it } from 'vitest';
import { textContainment, textSimilarity } from './textSimilarity.ts';

describe('textSimilarity', () => {
  it('is 1 for the same text and 0 for nothing in common', () => {
    expect(textSimilarity('农夫山泉矿泉水', '农夫山泉矿泉水')).toBe(1);
    expect(textSimilarity('青岛啤酒', '伊利纯牛奶')).toBe(0);
    expect(textSimilarity('', 'abc')).toBe(0);
  });

  it('ignores case, spaces and punctuation', () => {
    expect(textSimilarity('Coca-Cola 330 ml', 'coca cola 330ML')).toBe(1);
  });

  it('scores a read with a dropped character between the two', () => {
    const x = textSimilarity('农夫山矿泉水', '农夫山泉矿泉水');
    expect(x).toBeGreaterThan(0.5);
    expect(x).toBeLessThan(1);
  });
});

describe('textContainment', () => {
  it('is high for a partial but correct read and low for another product', () => {
    expect(textContainment('农夫山', '农夫山泉矿泉水550ml')).toBe(1);
    expect(textContainment('青岛啤酒', '农夫山泉矿泉水550ml')).toBe(0);
  });

  it('counts repeated characters only as often as the name has them', () => {
    expect(textContainment('aaaa', 'ab')).toBe(0.25);
  });
});
