import type { Page } from '@playwright/test';
import type { OcrHarness } from '../../eval/ocr/harness/harness.ts';
import type { InferenceStatus } from '../../../src/worker/ort/backend.ts';
import type { InferenceConfigPatch } from '../../../src/worker/ort/inferenceConfig.ts';
import type { LabelRead } from '../../../src/worker/tasks/labelReader.ts';
import { OCR_HARNESS_BASE } from '../../eval/ocr/serveHarness.ts';

type HarnessWindow = { ocrHarness: OcrHarness };

/** The label-reader harness page (tests/eval/ocr/harness), driving the app's real inference worker. */
export class OcrHarnessPage {
  constructor(readonly page: Page) {}

  async open(origin: string): Promise<void> {
    await this.page.goto(`${origin}${OCR_HARNESS_BASE}index.html`);
    await this.page.waitForFunction(() => document.body.dataset.ready === 'true');
  }

  configure(patch: InferenceConfigPatch): Promise<void> {
    return this.page.evaluate((p) => (window as unknown as HarnessWindow).ocrHarness.configure(p), patch);
  }

  status(): Promise<InferenceStatus> {
    return this.page.evaluate(() => (window as unknown as HarnessWindow).ocrHarness.status());
  }

  /** A file under shared/media/grocery, e.g. "natural/Arla-Standard-Milk/Arla-Standard-Milk_004.jpg". */
  readGrocery(file: string): Promise<LabelRead & { width: number; height: number }> {
    const url = `${OCR_HARNESS_BASE}media/grocery/${file}`;
    return this.page.evaluate((u) => (window as unknown as HarnessWindow).ocrHarness.read(u), url);
  }

  readDrawn(text: string, width: number, height: number): Promise<LabelRead> {
    return this.page.evaluate(
      ([t, w, h]) => (window as unknown as HarnessWindow).ocrHarness.readDrawn(t, w, h),
      [text, width, height] as const,
    );
  }
}
