import { Upload } from 'tus-js-client';
import type { TusUploadFactory } from './tus.ts';

/** The real tus client for the browser; the sync agent gets it injected from the kiosk wiring. */
export const tusJsUpload: TusUploadFactory = (file, opts) => {
  const upload = new Upload(file, opts);
  return {
    get url() {
      return upload.url;
    },
    start: () => upload.start(),
    abort: () => upload.abort(false),
  };
};
