import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { WINDOWS_ZONES } from './windows-zones.js';

// Zone names come from two sources that disagree on what "canonical" means:
// - timezones-ical-library (IANA tzdata via vzic) follows tzdata's links, which merge zones that
//   agree since 1970 (Europe/Oslo → Europe/Berlin, Atlantic/Reykjavik → Africa/Abidjan) and
//   rename legacy spellings (Asia/Calcutta → Asia/Kolkata, Europe/Kiev → Europe/Kyiv).
// - Intl/ICU lists one zone per CLDR location (so Europe/Oslo stays), but keeps CLDR's frozen
//   old spellings (Asia/Calcutta, Europe/Kiev) as its primary IDs.
// Canonical here = every tzdata canonical zone, plus every CLDR location zone under its current
// IANA spelling. Each of those gets the library's VTIMEZONE (of its link target) with its own TZID.

/** CLDR primary IDs whose current IANA spelling differs (CLDR common/bcp47/timezone.xml). */
const CLDR_TO_IANA: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** The library's own non-IANA convenience aliases (v2.3). */
const NOT_IANA = new Set(['PT', 'MT', 'CT', 'ET']);
/** Library link targets that mean plain UTC; we write those as `Z`, never as a TZID. */
const UTC_TARGETS = new Set(['Etc/UTC', 'Etc/GMT']);
const WINDOWS = new Map(Object.entries(WINDOWS_ZONES).map(([name, zone]) => [name.toLowerCase(), zone]));

interface ZoneIndex {
  /** library name → the zone whose VTIMEZONE it uses (itself when canonical in tzdata). */
  target: Map<string, string>;
  canonical: Set<string>;
  /** lower-cased known name → canonical name ('UTC' included). */
  resolved: Map<string, string>;
  sorted: string[];
}

let index: ZoneIndex | undefined;
const blocks = new Map<string, string | null>();

function libraryBlock(name: string): string | null {
  const result = tzlib_get_ical_block(name);
  return Array.isArray(result) && typeof result[0] === 'string' && result[0] !== '' ? result[0] : null;
}

/** ICU's (CLDR) primary ID for a name, or null when ICU does not know it. */
function cldrId(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function buildIndex(): ZoneIndex {
  const target = new Map<string, string>();
  const libNames = tzlib_get_timezones();
  for (const name of Array.isArray(libNames) ? libNames : []) {
    if (NOT_IANA.has(name)) continue;
    const result = tzlib_get_ical_block(name);
    const tzidLine = Array.isArray(result) ? result[1] : undefined;
    if (tzidLine?.startsWith('TZID=')) target.set(name, tzidLine.slice('TZID='.length));
  }
  const isZone = (name: string): boolean => {
    const t = target.get(name);
    return t !== undefined && !UTC_TARGETS.has(t);
  };
  const canonical = new Set<string>();
  for (const [name, t] of target) if (t === name && isZone(name)) canonical.add(name);
  const intlZones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  for (const id of intlZones) {
    const iana = CLDR_TO_IANA[id] ?? id;
    if (isZone(iana)) canonical.add(iana);
  }

  const resolve = (name: string): string | null => {
    if (canonical.has(name)) return name;
    const t = target.get(name);
    if (t !== undefined && UTC_TARGETS.has(t)) return 'UTC';
    const legacy = CLDR_TO_IANA[name];
    if (legacy !== undefined && canonical.has(legacy)) return legacy;
    const cldr = cldrId(name);
    if (cldr === 'UTC') return 'UTC';
    if (cldr !== null) {
      const iana = CLDR_TO_IANA[cldr] ?? cldr;
      if (canonical.has(iana)) return iana;
    }
    return t !== undefined && canonical.has(t) ? t : null;
  };
  const resolved = new Map<string, string>([['utc', 'UTC'], ['z', 'UTC']]);
  for (const name of [...canonical, ...target.keys(), ...intlZones]) {
    const key = name.toLowerCase();
    if (resolved.has(key)) continue;
    const c = resolve(name);
    if (c !== null) resolved.set(key, c);
  }
  const sorted = [...canonical, 'UTC'].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { target, canonical, resolved, sorted };
}

function zones(): ZoneIndex {
  index ??= buildIndex();
  return index;
}

function lookup(name: string): string | null {
  const idx = zones();
  const known = idx.resolved.get(name.toLowerCase());
  if (known !== undefined) return known;
  // A name ICU knows but the library does not list (e.g. an older alias): follow ICU.
  const cldr = cldrId(name);
  if (cldr === null) return null;
  if (cldr === 'UTC') return 'UTC';
  const iana = CLDR_TO_IANA[cldr] ?? cldr;
  return idx.canonical.has(iana) ? iana : (idx.resolved.get(iana.toLowerCase()) ?? null);
}

/** The canonical IANA name for a zone name, or null when it is not a zone we can resolve. */
export function canonicalTimezone(name: string): string | null {
  const trimmed = name.trim().replace(/^"(.*)"$/, '$1').trim();
  if (trimmed === '' || trimmed.length > 200) return null;
  if (/^(UTC|GMT|Etc\/UTC|Z)$/i.test(trimmed)) return 'UTC';
  const windows = WINDOWS.get(trimmed.toLowerCase());
  if (windows !== undefined) return lookup(windows);
  if (trimmed.startsWith('/')) {
    // Vendor-prefixed TZIDs: /mozilla.org/20070129_1/Europe/Paris, /citadel.org/20190914_1/...
    const parts = trimmed.split('/').filter((p) => p !== '');
    for (let n = Math.min(3, parts.length); n >= 1; n--) {
      const found = lookup(parts.slice(-n).join('/'));
      if (found !== null) return found;
    }
    return null;
  }
  return lookup(trimmed);
}

/**
 * The VTIMEZONE block (CRLF-joined, no trailing CRLF) for a canonical IANA tzid, as published in
 * feeds: DTSTART:1970… + yearly RRULE form, which is what Outlook understands. Null for 'UTC'
 * and for names that are not canonical (resolve them with `canonicalTimezone` first).
 */
export function vtimezone(tzid: string): string | null {
  const cached = blocks.get(tzid);
  if (cached !== undefined) return cached;
  if (!zones().canonical.has(tzid)) return null;
  const raw = libraryBlock(tzid);
  let block: string | null = null;
  if (raw !== null) {
    const lines = raw.split(/\r\n|\r|\n/).map((l) => l.trimEnd()).filter((l) => l !== '');
    const begin = lines.indexOf('BEGIN:VTIMEZONE');
    const end = lines.lastIndexOf('END:VTIMEZONE');
    if (begin >= 0 && end > begin) {
      const inner = lines.slice(begin + 1, end);
      const hasLocation = inner.some((l) => /^X-LIC-LOCATION[:;]/i.test(l));
      const body = inner.filter((l) => !/^(TZID|X-LIC-LOCATION)[:;]/i.test(l));
      const head = hasLocation ? [`TZID:${tzid}`, `X-LIC-LOCATION:${tzid}`] : [`TZID:${tzid}`];
      block = ['BEGIN:VTIMEZONE', ...head, ...body, 'END:VTIMEZONE'].join('\r\n');
    }
  }
  blocks.set(tzid, block);
  return block;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(minutes));
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * ICU's offset of `zone` at `at` from a formatter made for this one call. Not luxon's: it keeps
 * a formatter per zone for the life of the process, and one listing of every zone would pin
 * about 50 MB of ICU formatters in a server that otherwise uses a handful of zones.
 */
function icuOffsetMinutes(zone: string, at: Date): number | null {
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    return null; // a zone this ICU does not know
  }
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? '');
  if (!m) return null;
  return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** UTC offset in minutes of `zone` at `at`: ICU's, else the published VTIMEZONE's. */
function offsetMinutes(zone: string, at: Date): number {
  if (zone === 'UTC') return 0;
  const icu = icuOffsetMinutes(zone, at);
  if (icu !== null) return icu;
  const block = vtimezone(zone);
  if (block === null) return 0;
  const tz = new ICAL.Timezone(ICAL.Component.fromString(block));
  return ICAL.Time.fromJSDate(at, true).convertToZone(tz).utcOffset() / 60;
}

/** Offsets change only at transitions, which fall on a quarter hour in every zone today. */
const LIST_SLOT_MS = 15 * 60_000;
let listed: { slot: number; list: { label: string; offset: string }[] } | null = null;

/**
 * Every canonical zone, sorted by label, with its UTC offset at `at` ("+01:00", "-07:00",
 * "+05:30"). Computed once per quarter hour: a listing makes some 600 ICU formatters, and a
 * public endpoint must not cost that per request.
 */
export function listTimezones(at: Date): { label: string; offset: string }[] {
  const slot = Math.floor(at.getTime() / LIST_SLOT_MS);
  if (listed?.slot !== slot) {
    listed = { slot, list: zones().sorted.map((label) => ({ label, offset: formatOffset(offsetMinutes(label, at)) })) };
  }
  return listed.list;
}
