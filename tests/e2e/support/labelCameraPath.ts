/** A keyframe: [seconds, value]. */
export type Key = readonly [number, number];

/**
 * An ffmpeg expression in `v` (seconds) that interpolates the keyframes linearly and holds the
 * first and last values outside them: nested if(lt(v,t1), ..., ...) from the last segment in.
 */
export function piecewiseExpr(keys: readonly Key[], v: string): string {
  if (keys.length === 0) throw new Error('piecewiseExpr: no keyframes');
  for (let i = 1; i < keys.length; i++)
    if (!(keys[i]![0] > keys[i - 1]![0]))
      throw new Error(`piecewiseExpr: keyframe times must increase (at ${keys[i]![0]} s)`);
  const num = (n: number): string => String(Math.round(n * 1e6) / 1e6);
  let expr = num(keys[keys.length - 1]![1]);
  for (let i = keys.length - 1; i >= 1; i--) {
    const [t0, a] = keys[i - 1]!;
    const [t1, b] = keys[i]!;
    const seg = a === b ? num(a) : `(${num(a)}+(${num(b - a)})*(${v}-${num(t0)})/${num(t1 - t0)})`;
    expr = `if(lt(${v},${num(t1)}),${seg},${expr})`;
  }
  return `if(lt(${v},${num(keys[0]![0])}),${num(keys[0]![1])},${expr})`;
}
