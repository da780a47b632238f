import { chromium, type Browser } from 'playwright-core';

// Debian's Chromium, headless, as the machine's notes require: without the background-network
// flags it keeps dialling out on a closed network, and the resolver rule makes every host but
// the test server fail, so nothing a page links to is ever fetched.
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
}
