import { describe, it, expect } from 'vitest';
import {
  CLIENT_CLASSES, CLIENT_LABELS, CLIENT_RULES, classifyClient, type ClientClass,
} from '../../../src/subscribers/classify.js';

// Samples are real User-Agent strings quoted in public issue threads, server logs and project
// sources; the comment after each names where it was seen. "(brief)" marks the examples the
// task gave, which match the shapes the sourced samples show.
const samples: Array<[string, ClientClass]> = [
  // Google
  ['Google-Calendar-Importer', 'google'], // aaronpk/Meetable#138: "The Google calendar user agent is ..."
  ['Mozilla/5.0 (compatible; Google-Calendar-Importer)', 'google'], // wrapper several projects assume; tolerated
  // Apple iOS / iPadOS
  ['iOS/17.4 (21E219) dataaccessd/1.0', 'apple_ios'], // (brief)
  ['iOS/9.1 (13B143) dataaccessd/1.0', 'apple_ios'], // owncloud-archive/calendar#983 access log
  ['iOS/11.2.1 (15C153) dataaccessd/1.0', 'apple_ios'], // nextcloud/server#7654 audit log
  ['iOS/14.7.1 (18G82) accountsd/1.0', 'apple_ios'], // tchapi/davis#31 access log
  ['iOS/16.0 (20A362) remindd/1.0', 'apple_ios'], // (brief)
  ['iOS/5.0.1 (9A405) dataaccessd/1.0', 'apple_ios'], // tine20 VCalendar factory test
  ['DAVKit/5.0 (767); iCalendar/5.0 (79); iPhone/4.2.1 8C148', 'apple_ios'], // tine20 test (iPhone OS 4)
  // Apple macOS
  ['macOS/14.4 (23E214) CalendarAgent/988', 'apple_macos'], // (brief)
  ['Mac OS X/10.15.7 (19H2) CalendarAgent/954', 'apple_macos'], // (brief)
  ['Mac_OS_X/10.9.2 (13C64) CalendarAgent/176', 'apple_macos'], // DAViCal/davical#30 access log
  ['Mac+OS+X/10.15.7 (19H114) CalendarAgent/930.5.1', 'apple_macos'], // iCloud CalDAV proxy capture in a public repo
  ['macOS/11.0 (20A5343i) CalendarAgent/950', 'apple_macos'], // tine20 test
  ['macOS/13.4 (22F66) dataaccessd/1.0', 'apple_macos'], // observed-UA list (Ventura moved sync to dataaccessd)
  ['DAVKit/4.0.3 (732.2); CalendarStore/4.0.4 (997.7); iCal/4.0.4 (1395.7); Mac OS X/10.6.8 (10K549)', 'apple_macos'], // tine20
  // Outlook desktop
  ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.12026; Pro)', 'outlook_desktop'], // widely quoted Outlook 2016+ UA
  ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.16327; Pro)', 'outlook_desktop'], // observed-UA list
  ['Microsoft Office/16.0 (Microsoft Outlook 16.0.8241; Pro)', 'outlook_desktop'], // browscap/browscap#1634
  ['Microsoft-MacOutlook/16.81.0 (Mac OS/13.6; Build/16.81.0)', 'outlook_desktop'], // Outlook for Mac; must not go to Apple
  // Microsoft online
  ['Microsoft Exchange/15.20 (Windows NT 10.0; Win64; x64)', 'microsoft_online'], // observed-UA list
  ['Outlook-iOS/2.0', 'microsoft_online'], // Microsoft Exchange docs: Outlook for iOS UserAgent
  ['Outlook-Android/2.0', 'microsoft_online'], // same doc, Android
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Outlook-iOS/4.2531.0', 'microsoft_online'],
  // Windows Calendar
  ['MSFT-WIN-3/10.0.17134', 'windows_calendar'], // Exchange Get-MobileDevice output; Nextcloud WebcalCaching Plugin "/^MSFT-WIN-3/"
  ['MSFT-WIN-3/10.0.18363', 'windows_calendar'],
  // Thunderbird
  ['Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0', 'thunderbird'], // (brief)
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Thunderbird/78.0', 'thunderbird'], // tine20 test
  ['Mozilla/5.0 (X11; Linux x86_64; rv:24.0) Gecko/20100101 Thunderbird/24.5.0 Lightning/2.6.6', 'thunderbird'], // sabre-io/Baikal#261 log
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:102.0) Gecko/20100101 Thunderbird/102.13.0', 'thunderbird'], // LKML mail header
  ['Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.9.1.16) Gecko/20111110 Iceowl/1.0b1 Icedove/3.0.11', 'thunderbird'], // tine20 test
  // Android apps
  ['ICSx5/2.1.1-gplay (okhttp/4.12.0; Android 14)', 'icsx5'], // (brief)
  ['ICSx5/2.2.3 (ical4j/3.2.19 okhttp/4.12.0 Android/14)', 'icsx5'], // shape of bitfireAT/icsx5 Constants.USER_AGENT
  ['DAVx5/4.3.14-ose (2024/02/24; dav4jvm; okhttp/4.12.0) Android/14', 'davx5'], // (brief)
  ['DAVx5/4.3.16-gplay (2024/04/14; dav4jvm; okhttp/4.12.0) Android/14', 'davx5'], // nextcloud/helm#562 DAVx5 log
  // Servers and desktops
  ['Nextcloud Webcal Service', 'nextcloud'], // nextcloud/server WebcalCaching/Connection.php
  ['Nextcloud Server Crawler', 'nextcloud'], // nextcloud/server lib/private/Http/Client default UA
  ['Evolution/3.50.3', 'evolution'], // (brief)
  ['Evolution/3.2.1', 'evolution'], // DAViCal list access log
  ['Evolution/3.50.1', 'evolution'], // cPanel CalDAV log sample
  ['Mozilla/5.0 (X11; Linux x86_64) KHTML/5.37.0 (like Gecko) Konqueror/5 KIO/5.37', 'kde'], // KIO UA; Nextcloud maps /KIO/ to KDE PIM
  ['Akonadi DAV resource', 'kde'],
  // Browsers
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/34.0.1847.116 Chrome/34.0.1847.116 Safari/537.36', 'browser'], // Baikal#261
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:142.0) Gecko/20100101 Firefox/142.0', 'browser'], // nextcloud/calendar#7342
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 'browser'],
];

const traps: Array<[string, string, ClientClass]> = [
  ['Firefox is not Thunderbird', 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0', 'browser'],
  ['bare okhttp is not DAVx5', 'okhttp/4.12.0', 'unknown'],
  ['Android Dalvik is not DAVx5', 'Dalvik/2.1.0 (Linux; U; Android 12; SM-G970U Build/SP1A.210812.016)', 'unknown'],
  ['Edge is not Outlook', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80', 'browser'],
  ['iOS Safari is not dataaccessd', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'browser'],
  ['iPad Safari is not dataaccessd', 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'browser'],
  ['Word is not Outlook', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Word 16.0.17928; Pro)', 'unknown'],
  ['Googlebot is no subscriber', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/27.0.1453 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'unknown'],
  ['Google Feedfetcher is not Google Calendar', 'FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)', 'unknown'],
];

describe('classifyClient', () => {
  it.each(samples)('%s -> %s', (ua, expected) => {
    expect(classifyClient(ua)).toBe(expected);
  });

  it.each(traps)('ordering: %s', (_name, ua, expected) => {
    expect(classifyClient(ua)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['empty string', ''],
    ['whitespace', '   \t '],
    ['undefined', undefined],
    ['curl', 'curl/8.9.1'],
    ['garbage', '\u0000\u0001%%%~~~'],
    ['random words', 'hello world'],
    ['huge header', 'x'.repeat(100_000)],
  ])('%s -> unknown', (_name, ua) => {
    expect(classifyClient(ua)).toBe('unknown');
  });

  it('never throws on non-string input from untyped callers', () => {
    for (const bad of [null, 42, {}, [], Symbol('ua')]) {
      expect(classifyClient(bad as unknown as string)).toBe('unknown');
    }
  });
});

describe('CLIENT_CLASSES / CLIENT_LABELS / CLIENT_RULES', () => {
  it('gives every class a non-empty label and lists each class once', () => {
    expect(new Set(CLIENT_CLASSES).size).toBe(CLIENT_CLASSES.length);
    for (const c of CLIENT_CLASSES) expect(CLIENT_LABELS[c]?.trim()).toBeTruthy();
    expect(Object.keys(CLIENT_LABELS).sort()).toEqual([...CLIENT_CLASSES].sort());
  });

  it('has a sample for every class and a reason on every rule', () => {
    const covered = new Set<ClientClass>([...samples.map(([, c]) => c), 'unknown']);
    expect([...covered].sort()).toEqual([...CLIENT_CLASSES].sort());
    for (const rule of CLIENT_RULES) {
      expect(CLIENT_CLASSES).toContain(rule.client);
      expect(rule.why.length).toBeGreaterThan(10);
      expect(rule.pattern.global || rule.pattern.sticky).toBe(false); // lastIndex state would make test() flaky
    }
  });
});
