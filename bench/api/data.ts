import { DateTime } from 'luxon';

/**
 * Deterministic bench data: 10,000 event bodies for POST /calendars/:id/events, plus what the
 * server must answer for them (each event's occurrence starts as unix seconds), computed here
 * independently of the server's iCalendar code so the list checks mean something.
 */

/** The calendar the events go into; all-day (floating DATE) events are read in this zone. */
export const CALENDAR_ZONE = 'Europe/Paris';
export const ZONES = ['America/New_York', 'Europe/Paris', 'Asia/Tokyo', 'UTC'] as const;

/** The data spans three years: 2025-01-01 .. 2027-12-31, wall dates. */
export const SPAN_FIRST_DAY = DateTime.fromISO('2025-01-01', { zone: 'UTC' });
export const SPAN_DAYS = 3 * 365;
/** Instants that certainly cover every generated occurrence (with margin), for window picking. */
export const SPAN_START = Math.floor(SPAN_FIRST_DAY.toSeconds());
export const SPAN_END = SPAN_START + SPAN_DAYS * 86_400;

/** mulberry32: a tiny seeded PRNG, good enough to spread bench data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type EventBody = {
  title: string;
  start: string;
  end?: string;
  timezone?: string;
  all_day?: boolean;
  rrule?: string;
  description?: string;
  location?: string;
  reminders?: number[];
  categories?: string[];
};

export interface GeneratedEvent {
  body: EventBody;
  /** The JSON we POST, built once so serialising is not timed. */
  json: string;
  allDay: boolean;
  recurring: boolean;
  /** Unix seconds of every occurrence's start, ascending; [0] is the master's start. */
  starts: number[];
}

const TITLES = [
  'Réunion d’équipe', 'Café avec le client ☕', '日本チーム定例', 'Sprint review 🚀', 'Déjeuner 🍽️',
  'Stand-up', 'Ünïcödé workshop', 'Revue trimestrielle — Q', '会議: 予算', 'Ñandú meetup',
  'Entretien annuel', 'Dentist 🦷', 'Yoga 🧘', 'Board meeting', 'Fête de l’été 🎉', 'Kickoff 東京',
  'Περίληψη έργου', 'Встреча с партнёрами', 'Code review', 'Formation sécurité',
];
const LOCATIONS = [
  'Salle Éiffel, 3ᵉ étage', '東京オフィス 会議室A', 'Zoom', 'Room 2', 'Café de Flore, Paris',
  'Brooklyn Bridge Park 🌉', 'Bâtiment B — salle 104', 'Online',
];
const SENTENCES = [
  'Ordre du jour : budget, recrutement et événements à venir.',
  'Merci de préparer vos chiffres à l’avance 📊.',
  '日本語の資料を事前に共有してください。',
  'Bring your laptop and a good mood 😄.',
  'Rappel : la réunion est enregistrée.',
  'Agenda: demo, retro, and next steps ✅.',
  'Accès par l’entrée principale, badge requis.',
  'Les crêpes seront servies après la présentation 🥞.',
];
const CATEGORIES = ['Travail', 'Personnel', '会議', 'Équipe', 'Client'];
const DURATIONS_MIN = [15, 30, 45, 60, 60, 60, 90, 120, 180];

const wall = (dt: DateTime) => dt.toFormat("yyyy-LL-dd'T'HH:mm");

/** Generates `n` events with the seed; same seed, same events. */
export function generateEvents(n: number, seed = 20261121): GeneratedEvent[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const events: GeneratedEvent[] = [];
  for (let i = 0; i < n; i++) {
    const day = SPAN_FIRST_DAY.plus({ days: Math.floor(rnd() * SPAN_DAYS) });
    const allDay = rnd() < 0.10;
    const recurring = rnd() < 0.08;
    const count = 2 + Math.floor(rnd() * 25);
    const interval = rnd() < 0.25 ? 2 : 1;
    const body: EventBody = { title: `${pick(TITLES)} #${i}`, start: '' };
    let first: DateTime;
    if (allDay) {
      first = DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: CALENDAR_ZONE });
      body.start = first.toISODate()!;
      body.all_day = true;
      const days = rnd() < 0.7 ? 1 : 2 + Math.floor(rnd() * 3);
      if (days > 1) body.end = first.plus({ days }).toISODate()!;
    } else {
      const zone = pick(ZONES);
      // 07:00-21:45: never inside a DST gap or overlap in any of the zones.
      const hour = 7 + Math.floor(rnd() * 15);
      const minute = 15 * Math.floor(rnd() * 4);
      first = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
      const end = first.plus({ minutes: pick(DURATIONS_MIN) });
      if (zone === 'UTC') {
        // Instants with Z, the way many API clients send them.
        body.start = `${wall(first)}:00Z`;
        body.end = `${wall(end)}:00Z`;
        body.timezone = 'UTC';
      } else {
        body.start = wall(first);
        body.end = wall(end);
        // Half of the Paris events lean on the calendar's zone.
        if (zone !== CALENDAR_ZONE || rnd() < 0.5) body.timezone = zone;
      }
    }
    if (rnd() < 0.6) {
      const k = 1 + Math.floor(rnd() * 4);
      body.description = Array.from({ length: k }, () => pick(SENTENCES)).join(' ');
    }
    if (rnd() < 0.5) body.location = pick(LOCATIONS);
    if (rnd() < 0.3) body.reminders = [pick([5, 10, 15, 30, 60])];
    if (rnd() < 0.2) body.categories = [pick(CATEGORIES)];
    let starts = [Math.floor(first.toSeconds())];
    if (recurring) {
      body.rrule = `FREQ=WEEKLY;${interval > 1 ? `INTERVAL=${interval};` : ''}COUNT=${count}`;
      // Weekly repeats keep the wall time in the event's zone (luxon's calendar arithmetic).
      starts = Array.from({ length: count }, (_, k) => Math.floor(first.plus({ weeks: k * interval }).toSeconds()));
    }
    events.push({ body, json: JSON.stringify(body), allDay, recurring, starts });
  }
  return events;
}

/** A start-time window, unix seconds, both bounds inclusive like the API's. */
export interface Window {
  from: number;
  to: number;
}

export const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

/** Windows of 7 to 31 days (plus some hours) inside the data's span, deterministic. */
export function generateWindows(n: number, seed = 777): Window[] {
  const rnd = prng(seed);
  return Array.from({ length: n }, () => {
    const len = (7 + Math.floor(rnd() * 25)) * 86_400 + Math.floor(rnd() * 86_400);
    const from = SPAN_START + Math.floor(rnd() * (SPAN_END - SPAN_START - len));
    return { from, to: from + len };
  });
}

/** Does an event have an occurrence starting inside the window? */
export function inWindow(e: GeneratedEvent, w: Window): boolean {
  return e.starts.some((s) => s >= w.from && s <= w.to);
}

/** The instant of a `start` the API answered: ISO with offset, or a date (midnight in the calendar's zone). */
export function instantOf(start: string): number {
  const dt = /^\d{4}-\d{2}-\d{2}$/.test(start)
    ? DateTime.fromISO(start, { zone: CALENDAR_ZONE })
    : DateTime.fromISO(start, { setZone: true });
  if (!dt.isValid) throw new Error(`unreadable start in a response: ${start}`);
  return Math.floor(dt.toSeconds());
}
