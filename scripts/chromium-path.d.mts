/** The Chromium binary the browser tests use (CHROMIUM_PATH, else the usual names on PATH), or `undefined`. */
export function findChromium(): string | undefined;
