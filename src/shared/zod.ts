/**
 * zod for every schema of the project, set up once: no code generation, because the webview's CSP
 * forbids eval and zod's probe for it touches `navigator`, which VS Code's extension host reports as
 * an error. The number helpers keep the schemas' bounds alike.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };

export const finite = () => z.number().finite();
export const positiveInt = (max: number) => z.number().int().min(1).max(max);
export const fraction = () => z.number().finite().min(0).max(1);
