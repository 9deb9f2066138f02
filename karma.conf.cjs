// Karma runs the specs in headless Chromium. It serves the bundle that
// scripts/test-browser.mjs builds into build-browser/ (esbuild first, then Karma: the
// karma-esbuild plugin ran zero specs here) as an ES module. Run it through
// `npm run test:browser`, which builds the bundle, finds Chromium and checks the counts.
const { readFileSync } = require('node:fs');

// test-browser.mjs bundles each run into its own folder and names it here.
const bundleDir = process.env.RXMODE_BROWSER_BUNDLE_DIR || 'build-browser';

// Lets Karma's error formatter map bundle positions in failure stacks back to the .ts
// sources (what karma-sourcemap-loader does, for the one external .map esbuild writes).
function sourceMapPreprocessor() {
  return (content, file, done) => {
    try {
      file.sourceMap = JSON.parse(readFileSync(`${file.originalPath}.map`, 'utf8'));
    } catch {
      // No map: stacks just show bundle positions.
    }
    done(content);
  };
}
sourceMapPreprocessor.$inject = [];

module.exports = (config) => {
  config.set({
    basePath: __dirname,
    frameworks: ['jasmine'],
    plugins: [
      'karma-jasmine',
      'karma-chrome-launcher',
      { 'preprocessor:bundle-sourcemap': ['factory', sourceMapPreprocessor] },
    ],
    files: [
      { pattern: `${bundleDir}/*.js`, type: 'module', watched: false },
      { pattern: `${bundleDir}/*.js.map`, included: false, served: true, watched: false },
    ],
    preprocessors: { [`${bundleDir}/*.js`]: ['bundle-sourcemap'] },
    client: {
      jasmine: { random: true, stopSpecOnExpectationFailure: false },
    },
    browsers: ['ChromiumHeadlessCI'],
    customLaunchers: {
      // Base 'Chrome' (not 'ChromeHeadless') so the flags below are all there is; the
      // launcher adds a fresh temporary --user-data-dir and reads the binary from CHROME_BIN.
      ChromiumHeadlessCI: {
        base: 'Chrome',
        flags: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--disable-dev-shm-usage',
          '--mute-audio',
        ],
      },
    },
    reporters: ['dots'],
    colors: process.stdout.isTTY === true,
    logLevel: config.LOG_WARN,
    autoWatch: false,
    singleRun: true,
    failOnEmptyTestSuite: true,
    // Generous on purpose: on a loaded 2-core machine (CI sharing its cores) a spec that
    // builds a 20,000-service tree keeps the page busy for seconds, and Karma then drops a
    // healthy run as "Disconnected, reconnect failed before timeout of 2000ms".
    pingTimeout: 120_000,
    browserNoActivityTimeout: 180_000,
    browserDisconnectTimeout: 120_000,
    captureTimeout: 180_000,
    browserDisconnectTolerance: 0,
  });
};
