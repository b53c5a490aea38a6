export type AudioState = 'idle' | 'playing' | 'ended' | 'failed';

/**
 * Plays the recorded voice prompts. One element is reused and kept in the DOM so staff tools and
 * tests can see what is playing. Kiosk Chromium runs with --autoplay-policy=no-user-gesture-required;
 * where autoplay is still refused the caller shows that the audio could not play.
 */
export class PromptAudio {
  readonly element: HTMLAudioElement;

  constructor(
    private readonly base: string,
    private readonly onState: (state: AudioState, detail?: string) => void,
  ) {
    this.element = document.createElement('audio');
    this.element.id = 'prompt-audio';
    this.element.preload = 'auto';
    this.element.hidden = true;
    this.element.addEventListener('playing', () => this.onState('playing'));
    this.element.addEventListener('ended', () => this.onState('ended'));
    document.body.appendChild(this.element);
  }

  async play(lang: string, kind: string): Promise<void> {
    const el = this.element;
    el.pause();
    el.src = `${this.base}/${lang}/${kind}.ogg`;
    el.currentTime = 0;
    try {
      await el.play();
    } catch (err) {
      const e = err as Error;
      this.onState('failed', e.name === 'NotAllowedError' ? 'autoplay blocked' : e.message || e.name);
    }
  }

  stop(): void {
    this.element.pause();
  }
}
