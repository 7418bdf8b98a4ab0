/**
 * The headless canvas the report draws on: @napi-rs/canvas, whose native binary comes from the npm
 * registry inside a per-platform package. Loaded on first use so the engine trains without it.
 */
import type * as NapiCanvas from '@napi-rs/canvas';

let loaded: typeof NapiCanvas | undefined;

export function napiCanvas(): typeof NapiCanvas {
  if (loaded) return loaded;
  try {
    loaded = require('@napi-rs/canvas') as typeof NapiCanvas;
    return loaded;
  } catch (err) {
    throw new Error(
      `Drawing the report's figures needs the npm package @napi-rs/canvas and its binary for ${process.platform}-${process.arch} ` +
        `(reinstall with "npm install"): ${(err as Error).message}`,
    );
  }
}
