import QRCode from 'qrcode';
import { escapeHtml, trusted, type Html } from './layout.js';

/**
 * An inline SVG QR code of `url`, so a visitor on a computer can open the calendar on a phone.
 * Dark on white; the quiet zone is trimmed to two modules because the white card around it
 * continues it. Level M survives a smudged or low-resolution screen.
 */
export async function qrSvg(url: string, label: string): Promise<Html> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  // The library's output is trusted markup; only our label is interpolated, escaped.
  return trusted(svg.trim().replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(label)}" `));
}
