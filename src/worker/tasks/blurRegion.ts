import { blurGrid, type Box } from '../../recording/faceBoxes.ts';

/**
 * Blurs one region of a 2D canvas in place: the region is averaged down to a coarse grid (a few
 * cells across, see blurGrid) and drawn back up with bilinear smoothing. The downscale throws the
 * detail away for good (only cols*rows colours survive, unlike a Gaussian blur, which can partly be
 * undone); the smooth upscale avoids the hard cell edges of classic pixelation, which would keep
 * high-frequency energy and look like a face-shaped mosaic.
 */
export class RegionBlurrer {
  private readonly small = new OffscreenCanvas(1, 1);
  private readonly sctx: OffscreenCanvasRenderingContext2D;

  constructor() {
    const sctx = this.small.getContext('2d', { alpha: false });
    if (!sctx) throw new Error('no 2D context on OffscreenCanvas');
    this.sctx = sctx;
  }

  blur(ctx: OffscreenCanvasRenderingContext2D, box: Box, cells: number): void {
    const { cols, rows } = blurGrid(box, cells);
    // Exactly the grid size: a larger scratch canvas would let the bilinear upscale sample
    // leftovers from a previous region at the edges.
    if (this.small.width !== cols || this.small.height !== rows) {
      this.small.width = cols;
      this.small.height = rows;
    }
    this.sctx.imageSmoothingEnabled = true;
    this.sctx.imageSmoothingQuality = 'high';
    this.sctx.drawImage(ctx.canvas, box.x, box.y, box.w, box.h, 0, 0, cols, rows);
    ctx.save();
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(this.small, 0, 0, cols, rows, box.x, box.y, box.w, box.h);
    ctx.restore();
  }
}
