import type { ClientClass } from '../subscribers/classify.js';

// The calendar apps offered on the subscribe page (DESIGN.md §5.7): one row per button, with the
// client class recorded for the new subscriber and the link the browser is sent to.

export interface PersonalLinks {
  /** http(s)://host/feeds/<key>/<token>.ics */
  feedUrl: string;
  /** webcal://host/feeds/<key>/<token>.ics */
  webcalUrl: string;
  /** The calendar's title, which web apps use as the new calendar's name. */
  title: string;
}

export interface Provider {
  id: string;
  label: string;
  /** Who the button is for, shown under the label. */
  hint: string;
  client(userAgent: string): ClientClass;
  /** Where to send the browser, or null for apps without a deep link (copy + instructions). */
  link(links: PersonalLinks): string | null;
}

// Mobile Safari says "iPhone;" or "iPad;"; iPadOS 13+ in desktop mode passes as a Mac, which
// nothing server-side can tell apart.
const appleClient = (ua: string): ClientClass => (/\biP(?:hone|ad|od)\b/.test(ua) ? 'apple_ios' : 'apple_macos');

const addFromWeb = (origin: string) => (l: PersonalLinks) =>
  `${origin}/calendar/0/addfromweb?url=${encodeURIComponent(l.feedUrl)}&name=${encodeURIComponent(l.title)}`;

export const GOOGLE_ADD_BY_URL = 'https://calendar.google.com/calendar/u/0/r/settings/addbyurl';

export const PROVIDERS: readonly Provider[] = [
  {
    id: 'apple', label: 'Apple Calendar', hint: 'iPhone, iPad, Mac', client: appleClient,
    // webcal:// even for an https base URL, never webcals:// (DESIGN.md §5.7).
    link: (l) => l.webcalUrl,
  },
  {
    id: 'google', label: 'Google Calendar', hint: 'Android, web', client: () => 'google',
    // cid takes the webcal:// form; Google fetches it over http(s) itself.
    link: (l) => `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(l.webcalUrl)}`,
  },
  {
    id: 'outlook-com', label: 'Outlook.com', hint: 'Personal Microsoft account', client: () => 'microsoft_online',
    link: addFromWeb('https://outlook.live.com'),
  },
  {
    id: 'microsoft-365', label: 'Microsoft 365', hint: 'Work or school account', client: () => 'microsoft_online',
    link: addFromWeb('https://outlook.office.com'),
  },
  {
    id: 'outlook-desktop', label: 'Outlook desktop', hint: 'Outlook app on Windows', client: () => 'outlook_desktop',
    // Outlook for Windows registers itself as the webcal: handler.
    link: (l) => l.webcalUrl,
  },
  {
    id: 'yahoo', label: 'Yahoo Calendar', hint: 'Copy the link, follow the steps', client: () => 'unknown',
    // Yahoo has no deep link for subscriptions.
    link: () => null,
  },
];

export function findProvider(id: string): Provider | null {
  return PROVIDERS.find((p) => p.id === id) ?? null;
}
