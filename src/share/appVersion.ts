/**
 * The app version recorded in every export. A named import from package.json: Vite and vitest
 * tree-shake it to the one string (the dependency list is not bundled); tsx (the CLI) reads it too.
 */
import { version } from '../../package.json';

export const APP_NAME = 'SAGE Explorer';
export const APP_VERSION: string = version;
