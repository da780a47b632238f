// Which calendar app is polling a feed or syncing over CalDAV, from its User-Agent alone.
// Deliberately not a generic UA parser: those call DAVx5 "okhttp", Thunderbird "Firefox" and
// Apple's daemons "unknown". The table below is ordered and the first match wins.

export type ClientClass =
  | 'google' | 'apple_ios' | 'apple_macos' | 'outlook_desktop' | 'microsoft_online'
  | 'windows_calendar' | 'thunderbird' | 'icsx5' | 'davx5' | 'nextcloud' | 'evolution'
  | 'kde' | 'browser' | 'unknown';

export const CLIENT_CLASSES: readonly ClientClass[] = [
  'google', 'apple_ios', 'apple_macos', 'outlook_desktop', 'microsoft_online',
  'windows_calendar', 'thunderbird', 'icsx5', 'davx5', 'nextcloud', 'evolution',
  'kde', 'browser', 'unknown',
];

export const CLIENT_LABELS: Record<ClientClass, string> = {
  google: 'Google Calendar',
  apple_ios: 'Apple Calendar (iOS)',
  apple_macos: 'Apple Calendar (macOS)',
  outlook_desktop: 'Outlook (desktop)',
  microsoft_online: 'Outlook.com / Microsoft 365',
  windows_calendar: 'Windows Calendar',
  thunderbird: 'Thunderbird',
  icsx5: 'ICSx⁵ (Android)',
  davx5: 'DAVx⁵ (Android)',
  nextcloud: 'Nextcloud',
  evolution: 'GNOME Evolution / Calendar',
  kde: 'KDE Kontact / KOrganizer',
  browser: 'Web browser',
  unknown: 'Unknown',
};

export interface ClientRule {
  readonly client: ClientClass;
  readonly pattern: RegExp;
  readonly why: string;
}

export const CLIENT_RULES: readonly ClientRule[] = [
  { client: 'google', pattern: /\bGoogle-Calendar-Importer\b/i,
    why: 'Google Calendar "From URL" fetcher; sends the bare token, tolerate a Mozilla-compatible wrapper too' },
  { client: 'davx5', pattern: /\bDAVx(?:5|⁵)\/|\bDAVdroid\/|\bdav4(?:jvm|android)\b/i,
    why: 'DAVx5 (formerly DAVdroid) CalDAV sync; Android+okhttp in the UA, so it must beat any okhttp/Android guess' },
  { client: 'icsx5', pattern: /\bICSx(?:5|⁵)\/|\bICSdroid\//i,
    why: 'ICSx5 (formerly ICSdroid) webcal subscriptions on Android; also okhttp-based' },
  { client: 'nextcloud', pattern: /\bNextcloud (?:Webcal Service|Server Crawler)\b/,
    why: 'Nextcloud server refreshing a "subscription from link" (Webcal Service) or its generic HTTP client' },
  { client: 'outlook_desktop', pattern: /Microsoft Outlook|Microsoft-MacOutlook|\bOutlook\/\d/,
    why: 'Outlook for Windows ("Microsoft Office/16.0 (...; Microsoft Outlook 16.0.x; Pro)") and Outlook for Mac; ' +
      'before Apple rows because the Mac UA carries "Mac OS/"' },
  { client: 'microsoft_online', pattern: /Microsoft[ .]Exchange|ExchangeWebServices|ExchangeServicesClient|\bOutlook-(?:iOS|Android)\//i,
    why: 'Exchange Online / Outlook.com fetching server-side ("Microsoft Exchange/15.20 (...)") and the Outlook mobile apps, ' +
      'which sync through the Microsoft cloud' },
  { client: 'windows_calendar', pattern: /^MSFT-WIN-\d/,
    why: 'Windows 10/11 Mail and Calendar app ("MSFT-WIN-3/10.0.x"), the same prefix Nextcloud keys its webcal cache on' },
  { client: 'thunderbird', pattern: /\b(?:Thunderbird|Lightning|Icedove|Iceowl|Betterbird)\//,
    why: 'Thunderbird (and Lightning, Debian Icedove/Iceowl, Betterbird); Gecko UA, so it must come before the browser row' },
  { client: 'evolution', pattern: /\bEvolution\//,
    why: 'Evolution Data Server, which also backs GNOME Calendar' },
  { client: 'kde', pattern: /\bKIO\/|\bAkonadi|\bKOrganizer\b|\bKontact\b|\bKDE\b/i,
    why: 'KDE PIM (Akonadi DAV resource) speaks through KIO; its UA says "like Gecko" so it must beat the browser row ' +
      '(Konqueror shares the KIO token and lands here too)' },
  { client: 'apple_macos', pattern: /^(?:macOS|Mac[ _+]OS[ _+]X|OS X)\/|\b(?:CalendarAgent|CalendarStore|iCal)\//,
    why: 'Calendar.app: "macOS/14.4 (23E214) CalendarAgent/988", older "Mac_OS_X/" and "Mac+OS+X/" spellings, and since ' +
      'Ventura "macOS/13.4 (22F66) dataaccessd/1.0", so it must precede the iOS daemon row' },
  { client: 'apple_ios', pattern: /^(?:iOS|iPadOS|watchOS|visionOS)\/|\b(?:dataaccessd|accountsd|remindd)\/|\biP(?:hone|ad)\//,
    why: 'iOS/iPadOS daemons: dataaccessd (sync and subscriptions), accountsd (account setup), remindd (reminders), ' +
      'and pre-iOS 5 "DAVKit/...; iPhone/4.2.1"; Mobile Safari says "iPhone;" not "iPhone/" and falls through' },
  { client: 'unknown', pattern: /bot\b|bot\/|\bcrawler\b|\bspider\b|\bslurp\b|facebookexternalhit/i,
    why: 'search and link-preview crawlers (Googlebot smartphone carries Chrome and Safari) are no subscriber app' },
  { client: 'browser', pattern: /^(?:Mozilla|Opera)\/\d.*\b(?:Chrome|Chromium|CriOS|Firefox|FxiOS|Safari|Edge?|EdgA|EdgiOS|OPR|Trident|MSIE|Vivaldi|SamsungBrowser)\b/,
    why: 'a person opening the feed URL in a web browser (Chrome, Edge, Firefox, Safari, ...) once every app row missed' },
];

// Longer than any real UA; bounds regex work on a hostile header.
const MAX_UA_LENGTH = 1024;

export function classifyClient(userAgent: string | undefined): ClientClass {
  if (typeof userAgent !== 'string') return 'unknown';
  const ua = userAgent.slice(0, MAX_UA_LENGTH).trim();
  if (ua === '') return 'unknown';
  for (const rule of CLIENT_RULES) {
    if (rule.pattern.test(ua)) return rule.client;
  }
  return 'unknown';
}
