import jsQRModule from 'jsqr';

// jsqr is CommonJS whose types declare an ES default export: at run time the module is the function.
const jsQR = (typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default) as typeof jsQRModule.default;

/**
 * Reads a QR code drawn as the `qrcode` package draws SVG (one stroked path of horizontal runs:
 * `M x y.5 h n m dx 0 h n …` over a `viewBox="0 0 N N"`) back to the text it encodes: the path
 * is painted into a bitmap, 8 pixels a module, and handed to jsQR — a real decoder, so a test
 * proves what a phone would read, not that two strings match.
 */
export function decodeQrSvg(svg: string): string | null {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const d = /<path[^>]*stroke="[^"]*"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) return null;
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([MmHhVv])\s*(-?[\d.]+)(?:[ ,](-?[\d.]+))?/g)) {
    const n = Number(a);
    if (cmd === 'M') [x, y] = [n, Number(b)];
    else if (cmd === 'm') [x, y] = [x + n, y + Number(b)];
    else if (cmd === 'h') {
      for (let i = 0; i < n; i++) dark.add(`${x + i},${Math.floor(y)}`);
      x += n;
    } else if (cmd === 'H') {
      for (let i = x; i < n; i++) dark.add(`${i},${Math.floor(y)}`);
      x = n;
    }
  }
  const scale = 8;
  const px = size * scale;
  const data = new Uint8ClampedArray(px * px * 4).fill(255);
  for (let py = 0; py < px; py++) {
    for (let pxx = 0; pxx < px; pxx++) {
      if (!dark.has(`${Math.floor(pxx / scale)},${Math.floor(py / scale)}`)) continue;
      const o = (py * px + pxx) * 4;
      data[o] = data[o + 1] = data[o + 2] = 0;
    }
  }
  return jsQR(data, px, px)?.data ?? null;
}
