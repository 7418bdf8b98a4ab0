/** The id a webview gives a request, so the answer goes back to whoever asked and a stale one is known. */
import { z } from '../../shared/zod';

export const RequestId = z.string().min(1).max(64).regex(/^[\w.:-]+$/);
