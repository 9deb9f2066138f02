/**
 * The live page's script (./main.ts and what it imports, bundled by esbuild), as text.
 * scripts/build.mjs replaces this module's content at build time with the bundle (see
 * scripts/page-bundle.mjs); the empty string here is what a build without that step
 * would serve, and the page says so.
 */
export const PAGE_SCRIPT: string = '';
