/**
 * The decoder's manifold behind a 2-D latent scatter: a tiled image of decoded digits drawn in the
 * chart area under the points, its corners at the rectangle it was decoded over, so the digit under a
 * point is the decoding of that point's code. The axes take in that rectangle and every point.
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
      const area = chart.chartArea;
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      ctx.globalAlpha = 0.55;
      ctx.drawImage(manifold.image, left, top, right - left, bottom - top);
      ctx.restore();
    },
  };
}

/** `config` with the manifold behind its points, on axes wide enough for both. */
export function overManifold<T>(config: ChartConfiguration<'scatter', T[]>, manifold: Manifold): ChartConfiguration<'scatter', T[]> {
  const scales = config.options?.scales ?? {};
  return {
    ...config,
    plugins: [...(config.plugins ?? []), manifoldBackground(manifold)],
    options: {
      ...config.options,
      scales: {
        ...scales,
        x: { ...scales.x, suggestedMin: manifold.x[0], suggestedMax: manifold.x[1] },
        y: { ...scales.y, suggestedMin: manifold.y[0], suggestedMax: manifold.y[1] },
      },
    },
  };
}
