import { randomBytes } from 'node:crypto';

/** A fresh value per page load for the webview's Content-Security-Policy. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}
