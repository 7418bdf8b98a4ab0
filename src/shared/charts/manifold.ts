/**
 * The decoder's manifold behind a 2-D latent scatter: a tiled image of decoded digits drawn in the
 * chart area under the points, its corners at the rectangle it was decoded over. The axes are fixed
 * to that rectangle, so the digit under each point is the decoding of that point's code.
 */
import type { ChartConfiguration, Plugin } from 'chart.js';

export interface Manifold {
  /** The tiled digits (in the webview an HTML canvas, in the report a headless one); none is drawn until it is decoded. */
  image?: CanvasImageSource;
  x: [number, number];
  y: [number, number];
}

export function manifoldBackground(manifold: Manifold): Plugin {
  return {
    id: 'manifoldBackground',
    beforeDatasetsDraw(chart) {
      const { ctx, scales } = chart;
      if (!manifold.image) return;
      const left = scales.x.getPixelForValue(manifold.x[0]);
      const right = scales.x.getPixelForValue(manifold.x[1]);
      const top = scales.y.getPixelForValue(manifold.y[1]);
      const bottom = scales.y.getPixelForValue(manifold.y[0]);
      ctx.save();
      ctx.globalAlpha = 0.55;
      ctx.drawImage(manifold.image, left, top, right - left, bottom - top);
      ctx.restore();
    },
  };
}

/** `config` with the manifold behind its points and its axes fixed to the manifold's rectangle. */
export function overManifold<T>(config: ChartConfiguration<'scatter', T[]>, manifold: Manifold): ChartConfiguration<'scatter', T[]> {
  const scales = config.options?.scales ?? {};
  return {
    ...config,
    plugins: [...(config.plugins ?? []), manifoldBackground(manifold)],
    options: {
      ...config.options,
      scales: {
        ...scales,
        x: { ...scales.x, min: manifold.x[0], max: manifold.x[1] },
        y: { ...scales.y, min: manifold.y[0], max: manifold.y[1] },
      },
    },
  };
}
